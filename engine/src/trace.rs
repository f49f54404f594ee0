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
    /// One plain-words sentence, e.g. "rule 2: origin https://app.example.com does not match
    /// AllowedOrigin https://app.example.com/ (trailing slash)".
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
