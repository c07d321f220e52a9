"""Administration from the shell: `villagepump user`, `team`, `channel`, `role` and `config`."""
