from tests.api.flows import effective_self_filing


def test_smoke_self_filing(login):
    liming = login("李明")
    filing = effective_self_filing(liming)
    assert filing["status"] == "effective"
