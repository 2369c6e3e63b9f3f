"""Peer models re-implemented from their published descriptions, and the same experiments on ours
(the commands: experiments/peers/)."""
