//! Built-in demo: three synthetic earthquake events written as real GIS files (issue: built-in demo).
