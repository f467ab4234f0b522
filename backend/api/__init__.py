"""HTTP: one folder per resource, each a `routes.py` + `schemas.py` pair."""


def register_blueprints(api, production: bool = False) -> None:
    from backend.api.attachments.routes import blp as attachments
    from backend.api.auth.routes import blp as auth
    from backend.api.catalogue.routes import blp as catalogue
    from backend.api.error_codes.routes import blp as error_codes
    from backend.api.fd.routes import blp as fd, partner_blp as fd_partner
    from backend.api.filings.routes import blp as filings
    from backend.api.me.routes import blp as me
    from backend.api.partner.routes import blp as partner
    # rescue fund (seed 000)
    from backend.api.rescue.routes import blp as rescue, partner_blp as rescue_partner

    for blueprint in (catalogue, error_codes, auth, me, filings, attachments, partner, fd, fd_partner,
                      rescue, rescue_partner):
        api.register_blueprint(blueprint)
    # --- work-injury filing (seed 001) ---
    from backend.api.wi_filings.routes import blp as wi_filings, partner_blp as wi_partner, qa_blp as wi_qa
    for blueprint in (wi_filings, wi_partner):
        api.register_blueprint(blueprint)
    if not production:  # QA tools: never mounted in production (404 there)
        from backend.api.qa.routes import blp as qa
        from backend.api.qa_messages.routes import blp as qa_messages
        api.register_blueprint(qa)
        api.register_blueprint(qa_messages)
        api.register_blueprint(wi_qa)
