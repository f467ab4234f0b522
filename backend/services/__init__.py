"""Use cases: load, ask the domain, save, commit. Each public function is one
transaction; routes call exactly one of them."""
