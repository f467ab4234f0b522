"""Everything that talks to the outside: the database, files, Pillow, QR codes, WeChat."""
