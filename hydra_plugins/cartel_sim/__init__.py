"""cartel-sim's Hydra plugins (Hydra finds plugins only in its `hydra_plugins` namespace): a
sweeper and a launcher that make sweeps of thousands of short runs cheaper, doing what Hydra's
basic sweeper and joblib launcher do."""
