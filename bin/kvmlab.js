#!/usr/bin/env node
// The `kvmlab` command: runs the bundled CLI (built by `npm run build`).
'use strict';
const path = require('path');
const fs = require('fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('kvmlab: dist/cli.js is missing; run `npm run build` in the KVM Lab folder first\n');
  process.exit(1);
}
require(cli);
