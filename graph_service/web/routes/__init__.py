"""One router per page (``home``, ``city``, ``region``, ``geo``, ``key``), the network pictures the
pages embed (``networks``) and the static files (``static``). A new page is a new module here with
its template in ``graph_service/web/templates``, included in ``graph_service.web.router``."""
