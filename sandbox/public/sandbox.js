// Threadline sandbox page: plain JavaScript modules, no build step. It draws the three conversations
// from GET /sandbox/api/state, keeps them live over server-sent events, and sends what the user types,
// records or attaches to the Meta emulator (which delivers it to Threadline as a signed webhook).
// Each job has its own module; this one wires them to the page.
import { wireComposer } from './composer.js';
import { wireDevlogToggle } from './devlog.js';
import { connect } from './live.js';
import { PLATFORMS } from './page.js';
import { wireTabs } from './tabs.js';

PLATFORMS.forEach(wireComposer);
wireTabs();
wireDevlogToggle();
connect();
