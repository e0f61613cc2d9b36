"""One module per area of `serah` commands, imported only when used."""
