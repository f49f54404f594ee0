//! cors-harness: loads case files, predicts with `cors-engine`, runs the cases in real Chrome and
//! Firefox through WebDriver, and compares what happened with what was predicted.
