//! The cabinet's languages: Kazakh, Russian and English message bundles (Project Fluent,
//! `locales/<lang>/*.ftl`, built into the binary), the admins' own wording on top of them
//! (`[ui] locales_dir`/`<lang>.ftl`), and the choice of a request's language.
//!
//! Every message is a [`Msg`], generated from the English bundle by `build.rs`, so a page cannot
//! name a message that does not exist. Messages without arguments are formatted once at start-up
//! and handed out as `&str` ([`Catalog::t`]); messages with arguments go through Fluent on each
//! use ([`Catalog::fmt`]). A message missing from a language falls back to English.

use std::borrow::Cow;
use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use intl_pluralrules::operands::PluralOperands;
use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};

mod format;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// A language of the cabinet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Қазақша.
    Kk,
    /// Русский.
    Ru,
    /// English (the reference bundle).
    En,
}

impl Lang {
    /// Every language, in the order the switch offers them.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// Its BCP 47 code (`kk`, `ru`, `en`).
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Its name in itself, for the language switch.
    pub const fn native_name(self) -> &'static str {
        match self {
            Lang::Kk => "Қазақша",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    /// The language of a code (`kk`, `ru-RU`, `EN`...), if it is one of ours.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("");
        Lang::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    const fn index(self) -> usize {
        self as usize
    }

    /// The language a browser asks for in `Accept-Language`, if it asks for one of ours (in its
    /// order of preference, `q=0` meaning "not this one").
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let requested = fluent_langneg::accepted_languages::parse(header);
        requested.iter().find_map(|l| Lang::from_code(l.language.as_str()))
    }
}

/// One argument of a message.
pub type Arg<'a> = (&'a str, FluentValue<'a>);

/// A piece of a message that only puts arguments into text, perhaps choosing its text by an
/// argument (Fluent's select: plural forms).
enum Piece {
    /// Text as it stands.
    Text(Box<str>),
    /// The argument of this name.
    Arg(Box<str>),
    /// The variant chosen by an argument.
    Select {
        /// The argument that chooses.
        arg: Box<str>,
        /// Each variant's key (a plural category, a number or a word) and its pieces.
        variants: Vec<(Box<str>, Vec<Piece>)>,
        /// The variant taken when no key matches.
        default: usize,
    },
}

/// The CLDR name of a plural category, as Fluent's variant keys spell it.
fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
}

/// One language's messages.
struct Texts {
    bundle: FluentBundle<FluentResource>,
    /// Per [`Msg`]: the message formatted without arguments, when it needs none.
    plain: Vec<Option<Box<str>>>,
    /// Per [`Msg`]: its pieces, when it only puts arguments into text, perhaps choosing by one
    /// (no functions, terms or nested choices): written straight into a page without Fluent,
    /// whose plural rules sit behind a lock every use takes.
    pieces: Vec<Option<Vec<Piece>>>,
    /// The language's cardinal plural rules.
    plurals: Option<PluralRules>,
}

impl Texts {
    /// Write `msg` with `args` into `out` (escaped for HTML) through its pieces, if it has them
    /// and every argument it names is text or a number.
    fn write_pieces(&self, out: &mut String, msg: Msg, args: &[Arg<'_>], to: Out) -> bool {
        let Some(pieces) = &self.pieces[msg as usize] else { return false };
        if !pieces.iter().all(|p| self.can_write(p, args)) {
            return false;
        }
        for p in pieces {
            self.write_piece(out, p, args, to);
        }
        true
    }

    fn can_write(&self, p: &Piece, args: &[Arg<'_>]) -> bool {
        match p {
            Piece::Text(_) => true,
            Piece::Arg(n) => {
                matches!(value_of(args, n), Some(FluentValue::String(_) | FluentValue::Number(_)))
            }
            Piece::Select { arg, variants, .. } => {
                matches!(value_of(args, arg), Some(FluentValue::String(_) | FluentValue::Number(_)))
                    && self.plurals.is_some()
                    && variants.iter().all(|(_, v)| v.iter().all(|p| self.can_write(p, args)))
            }
        }
    }

    fn write_piece(&self, out: &mut String, p: &Piece, args: &[Arg<'_>], to: Out) {
        match p {
            Piece::Text(t) => to.put(out, t),
            Piece::Arg(n) => match value_of(args, n) {
                Some(FluentValue::String(s)) => to.put(out, s),
                Some(FluentValue::Number(x)) => write_number(out, x, to),
                _ => {}
            },
            Piece::Select { arg, variants, default } => {
                let chosen = match value_of(args, arg) {
                    Some(FluentValue::String(s)) => variants.iter().position(|(k, _)| **k == **s),
                    Some(FluentValue::Number(x)) => {
                        let category = self
                            .plurals
                            .as_ref()
                            .and_then(|r| r.select(PluralOperands::from(x)).ok())
                            .map(category_name);
                        // In order, as Fluent does: a number key by value, a word by category.
                        variants.iter().position(|(k, _)| match k.parse::<f64>() {
                            Ok(n) => n == x.value,
                            Err(_) => Some(&**k) == category,
                        })
                    }
                    _ => None,
                };
                if let Some((_, v)) = variants.get(chosen.unwrap_or(*default)) {
                    for p in v {
                        self.write_piece(out, p, args, to);
                    }
                }
            }
        }
    }
}

/// A message that only puts arguments into text, split once at its arguments, so a page can
/// write it many times with other values (a chart's tooltips) without formatting it again.
#[derive(Debug)]
pub struct Template {
    /// Text (escaped for HTML) before each argument, and the argument's index in the names given.
    parts: Vec<(String, usize)>,
    /// Text after the last argument.
    tail: String,
}

impl Template {
    /// Write the message into a page; `fill(out, i)` writes argument `i` (safe for HTML).
    pub fn write(&self, out: &mut String, mut fill: impl FnMut(&mut String, usize)) {
        for (text, i) in &self.parts {
            out.push_str(text);
            fill(out, *i);
        }
        out.push_str(&self.tail);
    }
}

/// Where pieces are written: into a page (escaped for HTML) or into plain text.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Out {
    Html,
    Text,
}

impl Out {
    fn put(self, out: &mut String, text: &str) {
        match self {
            Out::Html => escape_into(out, text),
            Out::Text => out.push_str(text),
        }
    }
}

/// A number as Fluent writes it (`FluentNumber::as_string`): whole numbers without the float
/// formatting (a VM page writes some sixty), others as Fluent does.
fn write_number(out: &mut String, x: &fluent_bundle::types::FluentNumber, to: Out) {
    use std::fmt::Write as _;
    let v = x.value;
    // Below 2^53 a whole f64 is written by `f64::to_string` exactly as the integer is; -0.0
    // keeps its sign there.
    if x.options.minimum_fraction_digits.is_none()
        && v.fract() == 0.0
        && v.abs() < 9_007_199_254_740_992.0
        && !(v == 0.0 && v.is_sign_negative())
    {
        let _ = write!(out, "{}", v as i64);
    } else {
        to.put(out, &x.as_string());
    }
}

/// The argument called `name`.
fn value_of<'v>(args: &'v [Arg<'_>], name: &str) -> Option<&'v FluentValue<'v>> {
    args.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// The pieces of the message `id`, if it only puts arguments into text, perhaps choosing by one.
fn pieces_of(bundle: &FluentBundle<FluentResource>, id: &str) -> Option<Vec<Piece>> {
    pattern_pieces(bundle.get_message(id)?.value()?, true)
}

fn pattern_pieces(pattern: &fluent_syntax::ast::Pattern<&str>, may_select: bool) -> Option<Vec<Piece>> {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement, VariantKey};
    pattern
        .elements
        .iter()
        .map(|e| match e {
            PatternElement::TextElement { value } => Some(Piece::Text((*value).into())),
            PatternElement::Placeable {
                expression: Expression::Inline(InlineExpression::VariableReference { id }),
            } => Some(Piece::Arg(id.name.into())),
            PatternElement::Placeable {
                expression:
                    Expression::Select { selector: InlineExpression::VariableReference { id }, variants },
            } if may_select => {
                let default = variants.iter().position(|v| v.default)?;
                let variants = variants
                    .iter()
                    .map(|v| {
                        let key: Box<str> = match &v.key {
                            VariantKey::Identifier { name } => (*name).into(),
                            VariantKey::NumberLiteral { value } => (*value).into(),
                        };
                        Some((key, pattern_pieces(&v.value, false)?))
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(Piece::Select { arg: id.name.into(), variants, default })
            }
            PatternElement::Placeable { .. } => None,
        })
        .collect()
}

/// What went wrong with a bundle file: it still loads the messages it could read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleProblem {
    /// The file (an admin's override, or a built-in file as `locales/<lang>/<file>`).
    pub file: String,
    /// What is wrong.
    pub message: String,
}

/// All languages' messages.
pub struct Catalog {
    texts: [Texts; 3],
    default: Lang,
    problems: Vec<BundleProblem>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog").field("default", &self.default).field("problems", &self.problems).finish()
    }
}

fn langid_of(lang: Lang) -> unic_langid::LanguageIdentifier {
    unic_langid::LanguageIdentifier::from_bytes(lang.code().as_bytes()).unwrap_or_default()
}

fn parse(file: &str, source: String, problems: &mut Vec<BundleProblem>) -> FluentResource {
    match FluentResource::try_new(source) {
        Ok(r) => r,
        Err((r, errors)) => {
            for e in errors {
                problems.push(BundleProblem { file: file.to_string(), message: format!("{e:?}") });
            }
            r
        }
    }
}

impl Catalog {
    /// The built-in bundles only, with `default` for requests that name no language of ours.
    pub fn builtin(default: Lang) -> Catalog {
        Catalog::load(default, None)
    }

    /// The built-in bundles with the admins' `<lang>.ftl` files from `overrides` on top (each of
    /// their messages replaces the built-in one). Problems (a file that does not parse, a
    /// message id that no page uses) are kept for [`Catalog::problems`]; the messages that could
    /// be read are used.
    pub fn load(default: Lang, overrides: Option<&Path>) -> Catalog {
        let mut problems = Vec::new();
        let texts = Lang::ALL.map(|lang| {
            let langid =
                unic_langid::LanguageIdentifier::from_bytes(lang.code().as_bytes()).unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Our three languages run left to right: no Unicode isolation marks in the pages.
            bundle.set_use_isolating(false);
            for (l, name, source) in EMBEDDED {
                if *l == lang.code() {
                    let file = format!("locales/{l}/{name}");
                    let res = parse(&file, (*source).to_string(), &mut problems);
                    if let Err(errors) = bundle.add_resource(res) {
                        for e in errors {
                            problems.push(BundleProblem { file: file.clone(), message: format!("{e:?}") });
                        }
                    }
                }
            }
            if let Some(dir) = overrides {
                let path = dir.join(format!("{}.ftl", lang.code()));
                match std::fs::read_to_string(&path) {
                    Ok(source) => {
                        let file = path.display().to_string();
                        let res = parse(&file, source, &mut problems);
                        for entry in res.entries() {
                            if let fluent_syntax::ast::Entry::Message(m) = entry
                                && !Msg::ALL.iter().any(|x| x.id() == m.id.name)
                            {
                                problems.push(BundleProblem {
                                    file: file.clone(),
                                    message: format!("message `{}` is not used by vpsbox", m.id.name),
                                });
                            }
                        }
                        bundle.add_resource_overriding(res);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => problems
                        .push(BundleProblem { file: path.display().to_string(), message: e.to_string() }),
                }
            }
            let plain = Msg::ALL.iter().map(|m| format_plain(&bundle, m.id())).collect();
            let pieces = Msg::ALL.iter().map(|m| pieces_of(&bundle, m.id())).collect();
            let plurals = PluralRules::create(langid_of(lang), PluralRuleType::CARDINAL).ok();
            Texts { bundle, plain, pieces, plurals }
        });
        Catalog { texts, default, problems }
    }

    /// The language of requests that name none of ours.
    pub fn default_lang(&self) -> Lang {
        self.default
    }

    /// What was wrong with the bundles when they were loaded.
    pub fn problems(&self) -> &[BundleProblem] {
        &self.problems
    }

    /// Whether `lang`'s bundles have `msg` themselves (no English fallback).
    pub fn has(&self, lang: Lang, msg: Msg) -> bool {
        self.texts[lang.index()].bundle.has_message(msg.id())
    }

    /// A message without arguments, in `lang` (else in English, else its id).
    pub fn t(&self, lang: Lang, msg: Msg) -> &str {
        let i = msg as usize;
        self.texts[lang.index()].plain[i]
            .as_deref()
            .or_else(|| self.texts[Lang::En.index()].plain[i].as_deref())
            .unwrap_or(msg.id())
    }

    /// A message with arguments in `lang`, written into a page (escaped); messages that only
    /// put arguments into text are written without Fluent's allocations.
    pub fn write_to(&self, out: &mut String, lang: Lang, msg: Msg, args: &[Arg<'_>]) {
        if !self.write_fast(out, lang, msg, args, Out::Html) {
            escape_into(out, &self.fluent(lang, msg, args));
        }
    }

    /// A message with arguments, in `lang` (else in English, else its id); messages that only
    /// put arguments into text are written without Fluent, as in [`Catalog::write_to`].
    pub fn fmt(&self, lang: Lang, msg: Msg, args: &[Arg<'_>]) -> String {
        let mut out = String::new();
        if self.write_fast(&mut out, lang, msg, args, Out::Text) {
            return out;
        }
        self.fluent(lang, msg, args)
    }

    /// `msg` in `lang` (else in English) as a [`Template`] over the arguments `names`: `None`
    /// when it chooses a variant by an argument or names one not given (write it with
    /// [`Catalog::write_to`] then).
    pub fn template(&self, lang: Lang, msg: Msg, names: &[&str]) -> Option<Template> {
        let lang = if self.has(lang, msg) { lang } else { Lang::En };
        let pieces = self.texts[lang.index()].pieces[msg as usize].as_ref()?;
        let (mut parts, mut text) = (Vec::new(), String::new());
        for p in pieces {
            match p {
                Piece::Text(t) => escape_into(&mut text, t),
                Piece::Arg(n) => {
                    let i = names.iter().position(|k| *k == &**n)?;
                    parts.push((std::mem::take(&mut text), i));
                }
                Piece::Select { .. } => return None,
            }
        }
        Some(Template { parts, tail: text })
    }

    /// Write `msg` from its pieces in `lang` (or in English when `lang` lacks it): false, with
    /// nothing written, when it has none or an argument is missing or of another kind.
    fn write_fast(&self, out: &mut String, lang: Lang, msg: Msg, args: &[Arg<'_>], to: Out) -> bool {
        self.texts[lang.index()].write_pieces(out, msg, args, to)
            || (!self.has(lang, msg) && self.texts[Lang::En.index()].write_pieces(out, msg, args, to))
    }

    /// A message with arguments through Fluent itself, in `lang` (else in English, else its id).
    fn fluent(&self, lang: Lang, msg: Msg, args: &[Arg<'_>]) -> String {
        self.try_fmt(lang, msg.id(), args).unwrap_or_else(|| msg.id().to_string())
    }

    /// The message `id` with arguments, in `lang` (else in English), if a bundle has it and
    /// every argument it names is given.
    fn try_fmt(&self, lang: Lang, id: &str, args: &[Arg<'_>]) -> Option<String> {
        let mut fargs = FluentArgs::with_capacity(args.len());
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        for l in [lang, Lang::En] {
            let bundle = &self.texts[l.index()].bundle;
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let out = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
                if errors.is_empty() {
                    return Some(out.into_owned());
                }
            }
        }
        None
    }

    /// The message of the error `code` (`err-<CODE>` in the bundles) with its arguments, in
    /// `lang`: times and numbers written the language's way. `None` when no bundle has it.
    pub fn error(
        &self,
        lang: Lang,
        code: &str,
        args: &[(&'static str, crate::error::Arg)],
    ) -> Option<String> {
        self.message(lang, &format!("err-{code}"), args.iter().map(|(k, v)| (*k, v)))
    }

    /// The message `id` with stored arguments (a notice's, an error's), in `lang`: times,
    /// numbers and money written the language's way. `None` when no bundle has it or an
    /// argument it names is missing.
    pub fn message<'a>(
        &self,
        lang: Lang,
        id: &str,
        args: impl IntoIterator<Item = (&'a str, &'a crate::error::Arg)>,
    ) -> Option<String> {
        use crate::error::Arg as E;
        let args: Vec<Arg<'_>> = args
            .into_iter()
            .map(|(k, v)| {
                let value = match v {
                    E::Text(s) => FluentValue::from(s.as_str()),
                    E::Number(n) => FluentValue::from(*n),
                    E::Time(t) => FluentValue::from(lang.time(*t)),
                    E::Money(m) => FluentValue::from(lang.money(*m)),
                };
                (k, value)
            })
            .collect();
        self.try_fmt(lang, id, &args)
    }

    /// The built-in bundles with English for requests that name no language: what the service
    /// layer writes into logs and stored English texts with.
    pub fn english() -> &'static Catalog {
        static BUILTIN: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| Catalog::builtin(Lang::En))
    }
}

/// `text` escaped for HTML into `out`.
fn escape_into(out: &mut String, text: &str) {
    if !text.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"')) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// `id` formatted with no arguments, when that works (a message with arguments fails).
fn format_plain(bundle: &FluentBundle<FluentResource>, id: &str) -> Option<Box<str>> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    let out: Cow<'_, str> = bundle.format_pattern(pattern, None, &mut errors);
    errors.is_empty().then(|| out.into_owned().into_boxed_str())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod error_tests;
