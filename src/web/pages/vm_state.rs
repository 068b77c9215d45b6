//! The words and colours of a server's state: the badge, power states and the steps of a
//! running operation, shared by the list and the server page.

use maud::{Markup, html};

use crate::domain::vm::PowerState;
use crate::i18n::Msg;
use crate::store::records::{Step, VmPhase, VmRecord};
use crate::web::ctx::Ctx;
use crate::web::layout::Text;

/// The state word and its colour class.
pub fn state_badge(ctx: &Ctx, vm: &VmRecord, busy: bool) -> Markup {
    let (class, word) = state_of(&vm.phase, vm.power, vm.suspended, vm.shutdown_requested_at.is_some(), busy);
    html! { span class={ "badge " (Text(class)) } { (ctx.t(word)) } }
}

/// The word for a power state.
pub fn power_word(power: PowerState) -> Msg {
    match power {
        PowerState::Running => Msg::VmStateRunning,
        PowerState::Paused => Msg::VmStatePaused,
        PowerState::ShuttingDown => Msg::VmStateShuttingDown,
        PowerState::Shutoff => Msg::VmStateStopped,
        PowerState::Crashed => Msg::VmStateCrashed,
        PowerState::Suspended => Msg::VmStateSuspended,
        PowerState::Unknown => Msg::VmStateUnknown,
    }
}

/// The words for a step of a running operation.
pub fn step_words(step: Step) -> Msg {
    match step {
        Step::Reserve => Msg::StepReserve,
        Step::Stop => Msg::StepStop,
        Step::Disk => Msg::StepDisk,
        Step::Seed => Msg::StepSeed,
        Step::Define => Msg::StepDefine,
        Step::Start => Msg::StepStart,
        Step::Undefine => Msg::StepUndefine,
        Step::RemoveFiles => Msg::StepRemoveFiles,
        Step::GrowDisk => Msg::StepGrowDisk,
        Step::RescueDisk => Msg::StepRescueDisk,
        Step::RemoveRescue => Msg::StepRemoveRescue,
        Step::TakeSnapshot => Msg::StepTakeSnapshot,
        Step::RevertSnapshot => Msg::StepRevertSnapshot,
        Step::DeleteSnapshot => Msg::StepDeleteSnapshot,
    }
}

/// Colour class and word of a VM's state.
pub fn state_of(
    phase: &VmPhase,
    power: PowerState,
    suspended: bool,
    shutting_down: bool,
    busy: bool,
) -> (&'static str, Msg) {
    match phase {
        VmPhase::Creating => ("working", Msg::VmStateCreating),
        VmPhase::Reinstalling => ("working", Msg::VmStateReinstalling),
        VmPhase::Deleting => ("working", Msg::VmStateDeleting),
        VmPhase::Failed { .. } => ("error", Msg::VmStateFailed),
        VmPhase::Ready if busy => ("working", Msg::VmStateWorking),
        VmPhase::Ready if suspended => ("error", Msg::VmStateSuspended),
        VmPhase::Ready if shutting_down && power.is_active() => ("working", Msg::VmStateShuttingDown),
        VmPhase::Ready => match power {
            PowerState::Running => ("running", Msg::VmStateRunning),
            PowerState::Crashed => ("error", Msg::VmStateCrashed),
            PowerState::Paused | PowerState::ShuttingDown => ("working", power_word(power)),
            _ => ("stopped", power_word(power)),
        },
    }
}
