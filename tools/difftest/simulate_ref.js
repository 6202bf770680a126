#!/usr/bin/env node
// Reads iamgraph batch JSONL (issue 2 §4) on stdin or from a file, runs each line through
// @cloud-copilot/iam-simulate's runSimulation (Strict mode), prints one JSON line per request:
// {"id", "decision": "Allowed"|"ExplicitlyDenied"|"ImplicitlyDenied", "ignored": [...keys]} or
// {"id", "error": "..."} when iam-simulate rejects the input.
'use strict';
const fs = require('fs');
const readline = require('readline');
const { runSimulation } = require('@cloud-copilot/iam-simulate');

function accountOf(arn) {
  const p = String(arn).split(':');
  return p.length >= 6 && p[0] === 'arn' ? p[4] : undefined;
}

function str(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

function levels(raw, prefix) {
  return (raw || []).map((level, i) => ({
    orgIdentifier: `${prefix}-level-${i}`,
    policies: level.map((doc, j) => ({ name: `${prefix}[${i}][${j}]`, policy: doc })),
  }));
}

function toSimulation(req) {
  const context = {};
  for (const [k, v] of Object.entries(req.context || {})) {
    context[k] = Array.isArray(v) ? v.map(str) : str(v);
  }
  const sim = {
    request: {
      principal: req.principal,
      action: req.action,
      resource: {
        resource: req.resource || '*',
        accountId: req.resource_account || accountOf(req.principal) || '',
      },
      contextVariables: context,
    },
    identityPolicies: (req.identity_policies || []).map((p, i) => ({ name: `identity_policies[${i}]`, policy: p })),
    serviceControlPolicies: levels(req.scps, 'scp'),
    resourceControlPolicies: levels(req.rcps, 'rcp'),
  };
  if (req.resource_policy) sim.resourcePolicy = req.resource_policy;
  if (req.session_policy) sim.sessionPolicy = req.session_policy;
  if (req.permission_boundaries && req.permission_boundaries.length > 0) {
    sim.permissionBoundaryPolicies = req.permission_boundaries.map((p, i) => ({ name: `permission_boundaries[${i}]`, policy: p }));
  }
  return sim;
}

async function main() {
  const input = process.argv[2] && process.argv[2] !== '-' ? fs.createReadStream(process.argv[2]) : process.stdin;
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  const out = [];
  for await (const line of rl) {
    if (!line.trim()) continue;
    let req;
    try { req = JSON.parse(line); } catch (e) { out.push(JSON.stringify({ id: null, error: 'bad json' })); continue; }
    try {
      const res = await runSimulation(toSimulation(req), { simulationMode: 'Strict' });
      if (res.resultType === 'error') {
        out.push(JSON.stringify({ id: req.id, error: JSON.stringify(res.errors).slice(0, 400) }));
      } else {
        const ignored = res.resultType === 'single' ? (res.result.ignoredContextKeys || [])
          : [...new Set(res.results.flatMap((r) => r.ignoredContextKeys || []))];
        out.push(JSON.stringify({ id: req.id, decision: res.overallResult, kind: res.resultType, ignored }));
      }
    } catch (e) {
      out.push(JSON.stringify({ id: req.id, error: 'exception: ' + String(e && e.message || e) }));
    }
    if (out.length >= 1000) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
  }
  if (out.length) process.stdout.write(out.join('\n') + '\n');
}

main();
