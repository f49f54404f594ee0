//! Step-by-step explanations: which rule was tried, which condition failed, which header the
//! browser rejected.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Who took a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Actor {
    /// The S3 half: configuration lookup and rule matching.
    S3,
    /// A literal-header server.
    Server,
    /// The browser half: preflight decision, caches, CORS checks.
    Browser,
}

/// Whether a step let the request through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepVerdict {
    Pass,
    Fail,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceStep {
    pub actor: Actor,
    pub verdict: StepVerdict,
    /// One plain-words sentence, e.g. "rule 2: origin `https://app.example.com` does not match
    /// AllowedOrigin `https://app.example.com/` (trailing slash)".
    pub text: String,
}

/// An ordered explanation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Trace(pub Vec<TraceStep>);

impl Trace {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn step(&mut self, actor: Actor, verdict: StepVerdict, text: impl Into<String>) {
        self.0.push(TraceStep {
            actor,
            verdict,
            text: text.into(),
        });
    }

    pub fn pass(&mut self, actor: Actor, text: impl Into<String>) {
        self.step(actor, StepVerdict::Pass, text);
    }

    pub fn fail(&mut self, actor: Actor, text: impl Into<String>) {
        self.step(actor, StepVerdict::Fail, text);
    }

    pub fn info(&mut self, actor: Actor, text: impl Into<String>) {
        self.step(actor, StepVerdict::Info, text);
    }

    pub fn extend(&mut self, other: Trace) {
        self.0.extend(other.0);
    }

    pub fn steps(&self) -> &[TraceStep] {
        &self.0
    }
}

/// Where a prediction writes its steps: into a [`Trace`], or nowhere, for callers that need only
/// the results. A switched-off recorder drops a step before its text is built: the `*_with`
/// methods take the sentence as a closure, so explanations cost nothing when nobody reads them.
pub(crate) struct Recorder<'t>(Option<&'t mut Trace>);

impl<'t> Recorder<'t> {
    /// Records into `trace`.
    pub(crate) fn to(trace: &'t mut Trace) -> Self {
        Self(Some(trace))
    }

    /// Records nothing.
    pub(crate) fn off() -> Self {
        Self(None)
    }

    /// Whether steps are kept (for explanations that take more than one sentence to build).
    pub(crate) fn is_on(&self) -> bool {
        self.0.is_some()
    }

    pub(crate) fn step(&mut self, actor: Actor, verdict: StepVerdict, text: impl Into<String>) {
        if let Some(trace) = self.0.as_deref_mut() {
            trace.step(actor, verdict, text);
        }
    }

    pub(crate) fn step_with(
        &mut self,
        actor: Actor,
        verdict: StepVerdict,
        text: impl FnOnce() -> String,
    ) {
        if let Some(trace) = self.0.as_deref_mut() {
            trace.step(actor, verdict, text());
        }
    }

    pub(crate) fn pass(&mut self, actor: Actor, text: &'static str) {
        self.step(actor, StepVerdict::Pass, text);
    }

    pub(crate) fn fail(&mut self, actor: Actor, text: &'static str) {
        self.step(actor, StepVerdict::Fail, text);
    }

    pub(crate) fn info(&mut self, actor: Actor, text: &'static str) {
        self.step(actor, StepVerdict::Info, text);
    }

    pub(crate) fn pass_with(&mut self, actor: Actor, text: impl FnOnce() -> String) {
        self.step_with(actor, StepVerdict::Pass, text);
    }

    pub(crate) fn fail_with(&mut self, actor: Actor, text: impl FnOnce() -> String) {
        self.step_with(actor, StepVerdict::Fail, text);
    }

    pub(crate) fn info_with(&mut self, actor: Actor, text: impl FnOnce() -> String) {
        self.step_with(actor, StepVerdict::Info, text);
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            let mark = match step.verdict {
                StepVerdict::Pass => "ok  ",
                StepVerdict::Fail => "FAIL",
                StepVerdict::Info => "    ",
            };
            let actor = match step.actor {
                Actor::S3 => "s3",
                Actor::Server => "server",
                Actor::Browser => "browser",
            };
            writeln!(f, "{:>3}. [{mark}] {actor:<7} {}", i + 1, step.text)?;
        }
        Ok(())
    }
}
