// client_test.js — a Node gRPC client (@grpc/grpc-js + @grpc/proto-loader)
// against a live nuage-server.
//
// Proves that a client built at run time from the .proto files, the way most
// Node services consume gRPC, talks to the C-core server: health, server
// reflection (v1alpha and v1) and SystemService. Run with `node --test`
// through tests/support/with_server.sh (which exports NUAGE_ADDR).
//
// node_modules is not in the Bazel tree: NUAGE_NODE_MODULES names the
// directory (tests/node/node_modules of the checkout, filled by `npm ci`), and
// the packages are loaded from there by absolute path so the run never
// depends on where Bazel put this file.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { after, before, test } = require('node:test');

const GRPC_PROTO_DIR = '/usr/share/grpc-proto'; // Debian's grpc-proto package
const WKT_DIR = '/usr/include'; // google/protobuf/*.proto from libprotobuf-dev
const TIMEOUT_MS = 10000;

function fail(message) {
  console.error(`client_test.js: ${message}`);
  process.exit(1);
}

const nodeModules = process.env.NUAGE_NODE_MODULES;
if (!nodeModules) {
  fail('NUAGE_NODE_MODULES is not set: pass the absolute path of tests/node/node_modules ' +
       '(after `npm ci` there), e.g. bazel test --test_env=NUAGE_NODE_MODULES=$PWD/tests/node/node_modules');
}
if (!fs.existsSync(path.join(nodeModules, '@grpc', 'grpc-js'))) {
  fail(`${nodeModules} has no @grpc/grpc-js: run \`npm ci\` in tests/node`);
}
const addr = process.env.NUAGE_ADDR;
if (!addr) fail('NUAGE_ADDR is not set: run through tests/support/with_server.sh');

const grpc = require(path.join(nodeModules, '@grpc', 'grpc-js'));
const protoLoader = require(path.join(nodeModules, '@grpc', 'proto-loader'));
const descriptor = require(path.join(nodeModules, 'protobufjs', 'ext', 'descriptor'));

// Our own .proto files: in the runfiles when run by Bazel (cwd is the
// runfiles root), else next to this file in the checkout.
function apiDir() {
  for (const d of [path.join(process.cwd(), 'api'), path.join(__dirname, '..', '..', 'api')]) {
    if (fs.existsSync(path.join(d, 'nuage', 'v1', 'system.proto'))) return d;
  }
  return fail('api/nuage/v1/system.proto not found');
}

const LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

function load(file, includeDirs) {
  return grpc.loadPackageDefinition(
      protoLoader.loadSync(file, { ...LOADER_OPTIONS, includeDirs }));
}

const healthPkg = load(path.join(GRPC_PROTO_DIR, 'grpc/health/v1/health.proto'), [GRPC_PROTO_DIR]);
const reflectionV1alphaPkg =
    load(path.join(GRPC_PROTO_DIR, 'grpc/reflection/v1alpha/reflection.proto'), [GRPC_PROTO_DIR]);
const reflectionV1Pkg =
    load(path.join(GRPC_PROTO_DIR, 'grpc/reflection/v1/reflection.proto'), [GRPC_PROTO_DIR]);
const nuagePkg = load('nuage/v1/system.proto', [apiDir(), WKT_DIR]);

const clients = [];
function client(Ctor) {
  const c = new Ctor(addr, grpc.credentials.createInsecure());
  clients.push(c);
  return c;
}

function deadline() {
  return { deadline: Date.now() + TIMEOUT_MS };
}

// One request on a ServerReflectionInfo stream; resolves with the responses.
function reflect(reflectionClient, request) {
  return new Promise((resolve, reject) => {
    const responses = [];
    const call = reflectionClient.ServerReflectionInfo(deadline());
    call.on('data', (r) => responses.push(r));
    call.on('error', reject);
    call.on('end', () => resolve(responses));
    call.write({ host: '', ...request });
    call.end();
  });
}

function unary(c, method, request) {
  return new Promise((resolve, reject) => {
    c[method](request, deadline(), (err, resp) => (err ? reject(err) : resolve(resp)));
  });
}

let health;
let reflectionV1alpha;
let reflectionV1;
let system;

before(async () => {
  health = client(healthPkg.grpc.health.v1.Health);
  reflectionV1alpha = client(reflectionV1alphaPkg.grpc.reflection.v1alpha.ServerReflection);
  reflectionV1 = client(reflectionV1Pkg.grpc.reflection.v1.ServerReflection);
  system = client(nuagePkg.nuage.v1.SystemService);
  await new Promise((resolve, reject) =>
    health.waitForReady(Date.now() + TIMEOUT_MS, (err) => (err ? reject(err) : resolve())));
});

after(() => {
  for (const c of clients) c.close();
});

test('Health/Check answers SERVING', async () => {
  const resp = await unary(health, 'Check', { service: '' });
  assert.equal(resp.status, 'SERVING');
});

for (const [version, getClient] of [
  ['v1alpha', () => reflectionV1alpha],
  ['v1', () => reflectionV1],
]) {
  test(`reflection ${version} lists the Nuage services`, async () => {
    const responses = await reflect(getClient(), { list_services: '' });
    assert.equal(responses.length, 1);
    const r = responses[0];
    assert.equal(r.message_response, 'list_services_response');
    const names = r.list_services_response.service.map((s) => s.name);
    for (const want of ['grpc.health.v1.Health', 'nuage.v1.SystemService',
                        'grpc.reflection.v1alpha.ServerReflection',
                        'grpc.reflection.v1.ServerReflection']) {
      assert.ok(names.includes(want), `${want} missing from ${JSON.stringify(names)}`);
    }
  });
}

test('reflection file_containing_symbol returns system.proto and its imports', async () => {
  const responses = await reflect(reflectionV1,
      { file_containing_symbol: 'nuage.v1.SystemService' });
  assert.equal(responses.length, 1);
  assert.equal(responses[0].message_response, 'file_descriptor_response', JSON.stringify(responses[0]));
  const files = responses[0].file_descriptor_response.file_descriptor_proto
      .map((bytes) => descriptor.FileDescriptorProto.decode(bytes));
  assert.equal(files[0].name, 'nuage/v1/system.proto');
  assert.ok(files.some((f) => f.name === 'google/protobuf/timestamp.proto'));
  assert.deepEqual(files[0].service.map((s) => s.name), ['SystemService']);
});

test('SystemService/GetServerInfo reports the schema', async () => {
  const info = await unary(system, 'GetServerInfo', {});
  assert.ok(info.schema_version >= 1, JSON.stringify(info));
  assert.ok(info.server_version.length > 0);
});
