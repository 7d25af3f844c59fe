"""Commands in the imperative (``RecordAnswer``) and one handler each: load, decide, save."""
