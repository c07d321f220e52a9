"""Events: what actions publish after commit, the bus that carries them, the hub that delivers them."""
