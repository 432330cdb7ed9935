"""jetsim: JetClass-like jets from Pythia 8 + FastJet, written in JetClass's ROOT schema."""

__version__ = "0.1.0"
