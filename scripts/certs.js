/* HTTPS options for the dev servers (add-in on :3000, backend on :3001), from the Office dev
   certificates in ~/.office-addin-dev-certs. If they are missing they are generated with
   office-addin-dev-certs; trusting the CA is the user's step (see README), and we never call sudo. */
const fs = require("fs");
const os = require("os");
const path = require("path");

const certDir = process.env.SEG_CERT_DIR || path.join(os.homedir(), ".office-addin-dev-certs");
const files = { ca: "ca.crt", cert: "localhost.crt", key: "localhost.key" };

function readCerts() {
  const out = {};
  for (const [k, f] of Object.entries(files)) {
    const p = path.join(certDir, f);
    if (!fs.existsSync(p)) return null;
    out[k] = fs.readFileSync(p);
  }
  return out;
}

async function httpsOptions() {
  let certs = readCerts();
  if (!certs) {
    const devCerts = require("office-addin-dev-certs");
    const gen = devCerts.generateCertificates || (devCerts.generate && devCerts.generate.generateCertificates);
    if (typeof gen !== "function") throw new Error("office-addin-dev-certs: cannot generate certificates");
    fs.mkdirSync(certDir, { recursive: true });
    await gen(path.join(certDir, files.ca), path.join(certDir, files.cert), path.join(certDir, files.key), 30);
    // The private key is for this user only.
    fs.chmodSync(path.join(certDir, files.key), 0o600);
    certs = readCerts();
    if (!certs) throw new Error(`could not create dev certificates in ${certDir}`);
  }
  return certs;
}

module.exports = { httpsOptions, certDir };
