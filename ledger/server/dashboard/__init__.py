"""The command-centre dashboard: a read-only web page over a ledger's views.

``serah serve`` mounts :func:`dashboard_routes` at ``/``; the page shows TPS
readiness at a deadline with a drill-down from province to TPS, an item's
chain of custody, the discrepancy and incident register, and the
transparency log's latest checkpoint with its witnesses.

=====================  =====================================================
module                 what
=====================  =====================================================
``routes``             HTTP: the page, its assets, JSON reads, input checks
``data``               what each JSON read answers, from the views
``readiness_rollup``   readiness counted per region in SQL (drill-down)
``timeline``           an item's custody trail, followed through ``prev``
``times``              WIB / WITA / WIT by province
``static/``            index.html, app.js, app.css (no CDN, no web fonts)
=====================  =====================================================
"""

from ledger.server.dashboard.routes import dashboard_app, dashboard_routes

__all__ = ["dashboard_app", "dashboard_routes"]
