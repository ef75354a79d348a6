// Waits until the server answers /healthz with {"status":"ok"} and its search index holds the demo catalog
// (the server syncs its index with the change feed before it listens). Exit 1 on timeout.
const base = (process.argv[2] || '').replace(/\/$/, '');
const deadline = Date.now() + Number(process.argv[3] || 120) * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function ready() {
  try {
    const h = await fetch(`${base}/healthz`);
    if (!h.ok || (await h.json()).status !== 'ok') return false;
    const s = await fetch(`${base}/search?q=${encodeURIComponent('政府信息公开')}`);
    return s.ok && (await s.text()).includes('<mark>');
  } catch {
    return false;
  }
}

while (!(await ready())) {
  if (Date.now() > deadline) {
    console.error(`e2e/wait: ${base} did not become ready (healthz ok and search index loaded)`);
    process.exit(1);
  }
  await sleep(500);
}
