use super::*;

/// The message ids a bundle source declares.
fn ids_of(source: &str) -> Vec<String> {
    let res =
        FluentResource::try_new(source.to_string()).unwrap_or_else(|(_, e)| panic!("does not parse: {e:?}"));
    res.entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_message_is_in_every_language_and_no_bundle_has_more() {
    let c = Catalog::builtin(Lang::En);
    assert!(c.problems().is_empty(), "built-in bundles: {:?}", c.problems());
    for lang in Lang::ALL {
        let missing: Vec<&str> = Msg::ALL.iter().filter(|m| !c.has(lang, **m)).map(|m| m.id()).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
        let declared: Vec<String> =
            EMBEDDED.iter().filter(|(l, _, _)| *l == lang.code()).flat_map(|(_, _, s)| ids_of(s)).collect();
        let extra: Vec<&String> =
            declared.iter().filter(|id| !Msg::ALL.iter().any(|m| m.id() == id.as_str())).collect();
        assert!(extra.is_empty(), "{} has messages English does not: {extra:?}", lang.code());
        assert_eq!(declared.len(), Msg::ALL.len(), "{} declares a message twice", lang.code());
    }
}

#[test]
fn plain_messages_are_ready_and_arguments_are_formatted_per_language() {
    let c = Catalog::builtin(Lang::En);
    assert_eq!(c.t(Lang::En, Msg::NavServers), "Servers");
    assert_eq!(c.t(Lang::Ru, Msg::NavServers), "Серверы");
    assert_eq!(c.t(Lang::Kk, Msg::NavServers), "Серверлер");
    let hint = |lang, n: u32| c.fmt(lang, Msg::SignupPasswordHint, &[("min", n.into())]);
    assert_eq!(hint(Lang::En, 12), "At least 12 characters.");
    assert_eq!(hint(Lang::Ru, 12), "Не менее 12 символов.");
    assert_eq!(hint(Lang::Ru, 21), "Не менее 21 символа.");
    assert_eq!(hint(Lang::Kk, 12), "Кемінде 12 таңба.");
    // No Unicode isolation marks around arguments in the pages.
    assert!(!c.fmt(Lang::En, Msg::ErrorCode, &[("code", "VM0001".into())]).contains('\u{2068}'));
}

#[test]
fn languages_come_from_codes_and_accept_language() {
    assert_eq!(Lang::from_code("ru-RU"), Some(Lang::Ru));
    assert_eq!(Lang::from_code("KK"), Some(Lang::Kk));
    assert_eq!(Lang::from_code("de"), None);
    assert_eq!(Lang::from_accept_language("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Lang::Ru));
    assert_eq!(Lang::from_accept_language("de-DE,de;q=0.9,kk;q=0.5"), Some(Lang::Kk));
    assert_eq!(Lang::from_accept_language("en-GB"), Some(Lang::En));
    assert_eq!(Lang::from_accept_language("de, fr;q=0.5"), None);
    assert_eq!(Lang::from_accept_language(""), None);
    assert_eq!(Lang::from_accept_language("*"), None);
}

#[test]
fn an_admins_bundle_replaces_messages_and_its_problems_are_reported() {
    let dir = std::env::temp_dir().join(format!("vpsbox-locales-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("ru.ftl"),
        "nav-servers = Наши серверы\nno-such-message = x\nbroken = { $\nnav-disks = Наши диски\n",
    )
    .unwrap();
    let c = Catalog::load(Lang::Kk, Some(&dir));
    assert_eq!(c.default_lang(), Lang::Kk);
    assert_eq!(c.t(Lang::Ru, Msg::NavServers), "Наши серверы");
    assert_eq!(c.t(Lang::Ru, Msg::NavDisks), "Наши диски", "messages after a broken entry still load");
    assert_eq!(c.t(Lang::Ru, Msg::NavNetworks), "Сети", "the rest stays built-in");
    assert_eq!(c.t(Lang::Kk, Msg::NavServers), "Серверлер", "other languages untouched");
    let problems: Vec<&str> = c.problems().iter().map(|p| p.message.as_str()).collect();
    assert!(problems.iter().any(|p| p.contains("no-such-message")), "{problems:?}");
    assert!(c.problems().len() >= 2, "the broken entry is reported too: {problems:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn messages_written_into_a_page_match_fluent_and_are_escaped() {
    let c = Catalog::builtin(Lang::En);
    let write = |lang, msg, args: &[Arg<'_>]| {
        let mut out = String::new();
        c.write_to(&mut out, lang, msg, args);
        out
    };
    for lang in Lang::ALL {
        // Arguments only (the fast path) and a plural selection (through Fluent) agree with Fluent.
        let running: [Arg<'_>; 1] = [("count", 3u32.into())];
        assert_eq!(
            write(lang, Msg::DashboardRunning, &running),
            c.fluent(lang, Msg::DashboardRunning, &running)
        );
        let min: [Arg<'_>; 1] = [("min", 21u32.into())];
        assert_eq!(write(lang, Msg::SignupPasswordHint, &min), c.fluent(lang, Msg::SignupPasswordHint, &min));
    }
    let since: [Arg<'_>; 1] = [("since", "<b> & \"x\"".into())];
    assert_eq!(
        write(Lang::En, Msg::DashboardMemberSince, &since),
        "Member since &lt;b&gt; &amp; &quot;x&quot;"
    );
    // A missing argument: the message's id, never a half-filled sentence.
    assert_eq!(write(Lang::En, Msg::DashboardRunning, &[]), "dashboard-running");
}

/// The argument names a message's pieces use.
fn arg_names(pieces: &[Piece], out: &mut Vec<String>) {
    for p in pieces {
        match p {
            Piece::Text(_) => {}
            Piece::Arg(n) => out.push(n.to_string()),
            Piece::Select { arg, variants, .. } => {
                out.push(arg.to_string());
                for (_, v) in variants {
                    arg_names(v, out);
                }
            }
        }
    }
}

#[test]
fn every_message_written_from_its_pieces_reads_as_fluent_formats_it() {
    let c = Catalog::builtin(Lang::En);
    let mut checked = 0;
    for lang in Lang::ALL {
        let texts = &c.texts[lang.index()];
        for msg in Msg::ALL {
            let Some(pieces) = &texts.pieces[msg as usize] else { continue };
            let mut names = Vec::new();
            arg_names(pieces, &mut names);
            if names.is_empty() {
                continue;
            }
            for n in (0..=30).chain([101, 111, 1000, 1021]) {
                let args: Vec<Arg<'_>> = names.iter().map(|k| (k.as_str(), FluentValue::from(n))).collect();
                let mut fast = String::new();
                assert!(texts.write_pieces(&mut fast, msg, &args, Out::Html), "{} {}", lang.code(), msg.id());
                let fluent = c.fluent(lang, msg, &args);
                let mut slow = String::new();
                escape_into(&mut slow, &fluent);
                assert_eq!(fast, slow, "{} {} with {n}", lang.code(), msg.id());
                // As plain text too (`Catalog::fmt`), unescaped.
                assert_eq!(c.fmt(lang, msg, &args), fluent, "{} {} with {n}", lang.code(), msg.id());
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn numbers_and_text_written_from_pieces_read_as_fluent_writes_them() {
    let c = Catalog::builtin(Lang::En);
    let numbers: [FluentValue<'_>; 12] = [
        0.into(),
        (-0.0f64).into(),
        7.into(),
        (-12).into(),
        1.5f64.into(),
        (-2.25f64).into(),
        0.1f64.into(),
        9_007_199_254_740_991u64.into(),
        9_007_199_254_740_992u64.into(),
        1e20f64.into(),
        u64::MAX.into(),
        "3.50".parse::<fluent_bundle::types::FluentNumber>().unwrap().into(),
    ];
    for lang in Lang::ALL {
        for n in &numbers {
            let args: [Arg<'_>; 1] = [("count", n.clone())];
            assert_eq!(
                c.fmt(lang, Msg::DashboardRunning, &args),
                c.fluent(lang, Msg::DashboardRunning, &args),
                "{n:?}"
            );
        }
        // Plain text keeps what a page escapes.
        let since: [Arg<'_>; 1] = [("since", "<b> & \"x\"".into())];
        assert_eq!(
            c.fmt(lang, Msg::DashboardMemberSince, &since),
            c.fluent(lang, Msg::DashboardMemberSince, &since)
        );
        assert!(c.fmt(lang, Msg::DashboardMemberSince, &since).contains("<b> & \"x\""));
    }
}
