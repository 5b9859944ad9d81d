// Firefox for the browser tests: Debian's firefox-esr, headless, driven over WebDriver
// BiDi by puppeteer-core (which never downloads a browser of its own). Each launch gets
// a fresh temporary profile that puppeteer-core creates and deletes again on close.
//
//   const firefox = await launchFirefox();
//   const page = await firefox.open('http://127.0.0.1:8000/');
//   const title = await page.evaluateExpression('Promise.resolve(document.title)', { what: 'the title' });
//   await firefox.close();
//
// Only the transport lives here; ./index.mjs turns functions and arguments into the
// expressions evaluated, the same way for every browser.
//
// Known flake, not the page's: while a WebDriver BiDi session is open, Firefox 153 ESR
// watches every worker through its WorkerDebuggerManager, and then a worker started by
// another worker sometimes never runs (no error, no message, not even a fetch of its
// script). The playground's thread pool, process pool and Python pool are all such
// nested workers, so a start-up or restart can hang here; the same page in the same
// Firefox without an automation session does not.
import puppeteer from 'puppeteer-core';
import { launchWebDriver } from './webdriver.mjs';

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

// The test machine reaches no web, and a test browser has no business on it anyway:
// these switch off everything Firefox would contact by itself. puppeteer-core's own
// profile already covers part of it (safe-browsing lists, app.update.disabledForTesting,
// Normandy, the data-reporting policy, a dummy remote-settings server); the rest is here.
const OFFLINE_PREFS = {
  // Updates: of Firefox itself, of system add-ons, extensions and media plug-ins.
  'app.update.auto': false,
  'app.update.enabled': false,
  'app.update.checkInstallTime': false,
  'app.update.url': '',
  'extensions.update.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.systemAddon.update.url': '',
  'extensions.getAddons.cache.enabled': false,
  'extensions.blocklist.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  'media.gmp-manager.url': '',
  'media.gmp-gmpopenh264.enabled': false,
  'media.gmp-widevinecdm.enabled': false,
  'browser.search.update': false,
  // Telemetry, crash reports, studies and experiments.
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.newProfilePing.enabled': false,
  'toolkit.telemetry.shutdownPingSender.enabled': false,
  'toolkit.telemetry.firstShutdownPing.enabled': false,
  'toolkit.telemetry.updatePing.enabled': false,
  'toolkit.telemetry.bhrPing.enabled': false,
  'toolkit.coverage.opt-out': true,
  'toolkit.coverage.endpoint.base': '',
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.usage.uploadEnabled': false,
  'app.shield.optoutstudies.enabled': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'messaging-system.rsexperimentloader.enabled': false,
  'browser.crashReports.unsubmittedCheck.enabled': false,
  'browser.tabs.crashReporting.sendReport': false,
  'breakpad.reportURL': '',
  // Captive-portal and connectivity probes (detectportal.firefox.com).
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'captivedetect.canonicalURL': '',
  // Safe Browsing: no list downloads and no hash look-ups.
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.google.gethashURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.google4.gethashURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.safebrowsing.provider.mozilla.gethashURL': '',
  // Remote settings and the certificate lists it would download; no OCSP either
  // (the pages are plain http on loopback, nothing needs revocation checks). Release
  // and ESR builds ignore this server override unless MOZ_REMOTE_SETTINGS_DEVTOOLS=1 is
  // in the environment (see launchFirefox); without it Firefox retries
  // firefox.settings.services.mozilla.com several times a second.
  'services.settings.server': 'http://127.0.0.1:9/remote-settings-disabled',
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'security.OCSP.enabled': 0,
  'security.certerrors.mitm.priming.enabled': false,
  // Region and geolocation look-ups, search suggestions.
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.search.geoip.url': '',
  'geo.provider.network.url': '',
  'browser.search.suggest.enabled': false,
  'browser.urlbar.suggest.searches': false,
  // Push, accounts and sync.
  'dom.push.enabled': false,
  'dom.push.connection.enabled': false,
  'dom.push.serverURL': '',
  'identity.fxaccounts.enabled': false,
  // New-tab content, Pocket, sponsored tiles, add-on recommendations.
  'browser.newtabpage.enabled': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.topsites': false,
  'browser.newtabpage.activity-stream.showSponsored': false,
  'browser.newtabpage.activity-stream.showSponsoredTopSites': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.topsites.contile.enabled': false,
  'extensions.pocket.enabled': false,
  'browser.discovery.enabled': false,
  'extensions.getAddons.showPane': false,
  'extensions.htmlaboutaddons.recommendations.enabled': false,
  // Speculative connections, prefetching and DNS over HTTPS.
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.http.speculative-parallel-limit': 0,
  'browser.urlbar.speculativeConnect.enabled': false,
  'browser.places.speculativeConnect.enabled': false,
  'network.trr.mode': 5,
  // A backstop for anything the prefs above missed: every request that is not to
  // localhost goes to a proxy on a closed loopback port and fails at once.
  // Firefox never sends localhost or 127.0.0.1 through a proxy while
  // allow_hijacking_localhost is false, so the pages under test are unaffected.
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 9,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': 9,
  'network.proxy.share_proxy_settings': true,
  'network.proxy.allow_hijacking_localhost': false,
  'network.proxy.no_proxies_on': 'localhost, 127.0.0.1, [::1]',
};

function withDeadline(promise, { timeout, what }) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`firefox: timed out after ${timeout / 1000} s waiting for ${what}`)), timeout);
  });
  // A call left behind by its deadline rejects when the browser closes: keep that quiet.
  promise.catch(() => {});
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

class FirefoxPage {
  constructor(browser, page, url) {
    this.browser = browser;
    this.page = page;
    this.url = url;
    this.errors = [];
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error?.message ?? error}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console.error: ${message.text()}`);
    });
  }

  /**
   * Evaluates `expression` in the page and answers what it (or the promise it gives)
   * resolves to, which must be JSON-serialisable. A call still running after `timeout`
   * ms rejects naming `what`.
   */
  async evaluateExpression(expression, { timeout = 120_000, what = 'a script in the page' } = {}) {
    return withDeadline(this.page.evaluate(expression), { timeout, what });
  }

  async close() {
    await this.page.close().catch(() => {});
  }
}

class FirefoxBrowser {
  constructor(browser) {
    this.browser = browser;
    this.name = 'firefox';
    this.version = null;
  }

  async open(url, { timeout = 120_000 } = {}) {
    const page = await this.browser.newPage();
    const wrapped = new FirefoxPage(this, page, url);
    await withDeadline(page.goto(url, { waitUntil: 'load', timeout: 0 }), { timeout, what: `the page ${url} to load` });
    return wrapped;
  }

  async close() {
    const child = this.browser.process();
    try {
      await withDeadline(this.browser.close(), { timeout: 30_000, what: 'Firefox to close' });
    } catch {
      // Firefox did not quit when asked: end it, and its content processes with it.
      child?.kill('SIGKILL');
    }
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

/** Starts headless Firefox with a fresh profile; answers a browser with `open(url)` and `close()`. */
export async function launchFirefox({ timeout = 60_000 } = {}) {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    timeout,
    // Calls have their own deadlines (see withDeadline); puppeteer's default of 180 s
    // per protocol call would cut a slow Pyodide start-up short in its place.
    protocolTimeout: 30 * 60_000,
    extraPrefsFirefox: OFFLINE_PREFS,
    // MOZ_REMOTE_SETTINGS_DEVTOOLS: lets services.settings.server above take effect.
    env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1', MOZ_CRASHREPORTER_DISABLE: '1', PUPPETEER_SKIP_DOWNLOAD: '1' },
  });
  const wrapped = new FirefoxBrowser(browser);
  wrapped.version = await browser.version();
  return wrapped;
}

export const GECKODRIVER = process.env.GECKODRIVER ?? 'geckodriver';

/**
 * Firefox over WebDriver classic (geckodriver and Marionette), without a BiDi session:
 * under BiDi, Firefox 153 now and then never starts a worker that another worker
 * creates, which the page does all the time (the driver starts rayon's threads and the
 * process pool's workers). Same profile settings as `launchFirefox`.
 */
export function launchFirefoxClassic({ timeout = 60_000 } = {}) {
  return launchWebDriver({
    name: 'firefox',
    driver: (port) => ({
      argv: [GECKODRIVER, `--port=${port}`, '--host=127.0.0.1', '--log=warn'],
      env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1', MOZ_CRASHREPORTER_DISABLE: '1' },
      driverName: 'geckodriver',
      group: 'geckodriver, Firefox',
    }),
    capabilities: {
      browserName: 'firefox',
      // No `webSocketUrl`: that is what would open the BiDi session.
      'moz:firefoxOptions': { binary: FIREFOX, args: ['-headless'], prefs: OFFLINE_PREFS },
    },
    timeout,
  });
}
