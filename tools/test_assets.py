"""Assets built before the post_install tests: the bundles a browser test can open, not those of
Odoo's JavaScript unit-test pages.

Before post_install tests that include an HttpCase, Odoo builds every bundle a view of the
database calls (IrQWeb._pregenerate_assets_bundles), so that no test builds one inside its own
rolled-back transaction. Among them are the bundles of the pages that run Odoo's JavaScript
unit tests (HOOT, QUnit, the editor's mocha tests) and the dark theme: no test tools/test selects
opens those pages, and building them took about 40 s of each run. Imported by the tools/run_*.py
wrappers of odoo-bin; every other bundle is built as Odoo builds it, and a test that opened one
of the skipped pages would still get its bundle, built on demand.
"""
import logging
import time

from odoo.addons.base.models.ir_qweb import IrQWeb

_logger = logging.getLogger(__name__)

UNIT_TEST_PAGES = {
    "web.assets_unit_tests", "web.assets_unit_tests_setup",  # /web/tests (HOOT)
    "web.qunit_suite_tests", "web.qunit_mobile_suite_tests", "web.tests_assets",  # /web/tests/legacy
    "web_editor.mocha_tests",
    "web.assets_web_dark",  # the web client with the dark-theme cookie
}


def _pregenerate_assets_bundles(self):
    js_bundles, css_bundles = self._get_bundles_to_pregenarate()
    links = []
    start = time.time()
    for bundle in sorted(js_bundles - UNIT_TEST_PAGES):
        links += self._get_asset_bundle(bundle, css=False, js=True).js()
    for bundle in sorted(css_bundles - UNIT_TEST_PAGES):
        links += self._get_asset_bundle(bundle, css=True, js=False).css()
    _logger.info("Assets bundles of browser tests generated in %.2f seconds, without %s",
                 time.time() - start, ", ".join(sorted(UNIT_TEST_PAGES)))
    return links


IrQWeb._pregenerate_assets_bundles = _pregenerate_assets_bundles
