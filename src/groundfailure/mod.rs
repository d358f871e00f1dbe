//! Built-in USGS ground-failure model (Nowicki Jessee et al. 2018).
