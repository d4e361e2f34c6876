// A direct producer and consumer written with the Node.js clients of the Kafka ecosystem (kafkajs and
// @kafkajs/confluent-schema-registry), as a team outside this project would write them:
//
//   node direct-client.cjs produce '<settings JSON>'   registers SegmentCommand, publishes membership changes
//                                                      with raw keys and an import's lifecycle, and one record
//                                                      with a wrong key (which the processor sets aside)
//   node direct-client.cjs consume '<settings JSON>'   reads bigsegments.membership to its end, decodes every value
//
// Settings: {brokers, registryUrl, token, schemaDir, environmentId, segments: [...], commandsTopic,
// membershipTopic}. Prints one JSON line with what it did; exits non-zero on any error, and within a minute.
'use strict';

const fs = require('fs');
const path = require('path');
const { Kafka, logLevel, CompressionTypes, CompressionCodecs } = require('kafkajs');
const { SchemaRegistry, SchemaType, COMPATIBILITY } = require('@kafkajs/confluent-schema-registry');
const lz4 = require('lz4js');

// The pipeline's services compress with LZ4, which kafkajs reads through a codec of the user's choosing.
CompressionCodecs[CompressionTypes.LZ4] = () => ({
  compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
  decompress: async (buffer) => Buffer.from(lz4.decompress(buffer)),
});

const NAMESPACE = 'dev.bigsegments.schemas.avro';
const DEADLINE_MS = 60_000;

// SegmentCommand.avsc refers to ContextHash, defined in its own file: write its definition inline at its
// first use, so that the schema registers on its own (no schema references).
function segmentCommandSchema(schemaDir) {
  const contextHash = JSON.parse(fs.readFileSync(path.join(schemaDir, 'ContextHash.avsc'), 'utf8'));
  const command = JSON.parse(fs.readFileSync(path.join(schemaDir, 'SegmentCommand.avsc'), 'utf8'));
  let inlined = false;
  const inline = (node) => {
    if (inlined) return node;
    if (node === 'ContextHash' || node === `${NAMESPACE}.ContextHash`) {
      inlined = true;
      return contextHash;
    }
    if (Array.isArray(node)) return node.map(inline);
    if (node && typeof node === 'object') {
      for (const key of Object.keys(node)) node[key] = inline(node[key]);
    }
    return node;
  };
  return JSON.stringify(inline(command));
}

// The record key: environmentId NUL segmentKey, UTF-8.
const keyOf = (environmentId, segmentKey) => Buffer.from(`${environmentId}\u0000${segmentKey}`, 'utf8');

// A union of records is written wrapped in its full name, as avsc does for ambiguous unions.
function command(environmentId, segmentKey, commandId, type, fields) {
  return {
    commandId, environmentId, segmentKey, timestamp: Date.now(),
    payload: { [`${NAMESPACE}.${type}`]: fields },
  };
}

const rawKeyChange = (list, op, rawKey) => ({ list, op, hash: null, rawKey });

function registryOf(settings) {
  return new SchemaRegistry({
    host: settings.registryUrl,
    auth: { username: 'direct-producer', password: settings.token },
  });
}

function kafkaOf(settings) {
  return new Kafka({ clientId: 'direct-client', brokers: settings.brokers, logLevel: logLevel.WARN });
}

async function produce(settings) {
  const registry = registryOf(settings);
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: segmentCommandSchema(settings.schemaDir) },
    { subject: `${settings.commandsTopic}-value`, compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE });
  const env = settings.environmentId;
  const [members, imported] = settings.segments;
  const run = settings.runId;
  const memberKeys = ['node-user-1', 'node-user-2', 'node-user-3'];
  const importKeys = Array.from({ length: 1000 }, (_, i) => `node-import-${i}`);
  const commands = [
    command(env, members, `${run}-create-members`, 'CreateSegment', { name: 'Node members', contextKind: 'user', generation: null }),
    command(env, members, `${run}-add`, 'MembershipChange', {
      changes: [...memberKeys.map((k) => rawKeyChange('INCLUDED', 'ADD', k)), rawKeyChange('EXCLUDED', 'ADD', 'node-user-9')],
    }),
    command(env, members, `${run}-remove`, 'MembershipChange', { changes: [rawKeyChange('INCLUDED', 'REMOVE', 'node-user-2')] }),
    command(env, imported, `${run}-create-import`, 'CreateSegment', { name: 'Node import', contextKind: 'user', generation: null }),
    command(env, imported, `${run}-begin`, 'ImportBegin', { importId: `${run}-import`, mode: 'REPLACE', fileName: null }),
    command(env, imported, `${run}-chunk-0`, 'ImportChunk', { importId: `${run}-import`, sequence: 0, hashes: [], rawKeys: importKeys.slice(0, 500) }),
    command(env, imported, `${run}-chunk-1`, 'ImportChunk', { importId: `${run}-import`, sequence: 1, hashes: [], rawKeys: importKeys.slice(500) }),
    command(env, imported, `${run}-commit`, 'ImportCommit', {
      importId: `${run}-import`, chunkCount: 2, stats: { rowsRead: 1000, blankLines: 0, rejectedRows: 0, rejections: [] },
    }),
  ];
  const messages = [];
  for (const c of commands) {
    messages.push({ key: keyOf(c.environmentId, c.segmentKey), value: await registry.encode(id, c) });
  }
  // Wrong on purpose: keyed by another segment than the one it names, so the processor sets it aside.
  const wrong = command(env, members, `${run}-wrong-key`, 'MembershipChange', { changes: [rawKeyChange('INCLUDED', 'ADD', 'node-user-4')] });
  messages.push({ key: keyOf(env, `${members}-elsewhere`), value: await registry.encode(id, wrong) });

  const producer = kafkaOf(settings).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (const message of messages) {
      // One at a time: a segment's commands must arrive in order.
      await producer.send({ topic: settings.commandsTopic, acks: -1, messages: [message] });
    }
  } finally {
    await producer.disconnect();
  }
  return { registeredId: id, sent: messages.length, wrongCommandId: wrong.commandId };
}

async function consume(settings) {
  const registry = registryOf(settings);
  const kafka = kafkaOf(settings);
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(settings.membershipTopic);
  await admin.disconnect();
  const remaining = new Map(ends.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]));
  const summary = { decoded: 0, tombstones: 0, failures: [], members: {} };
  const wanted = new Set(settings.segments.map((s) => `${s}.g1`));
  const consumer = kafka.consumer({ groupId: `direct-client-${settings.runId}` });
  await consumer.connect();
  await consumer.subscribe({ topic: settings.membershipTopic, fromBeginning: true });
  // Done when every partition was read past the end it had at the start. Batch ends count, not messages: a
  // partition written in transactions ends with a commit marker, which no consumer sees as a message.
  const done = new Promise((resolve) => {
    const check = () => remaining.size === 0 && resolve();
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const end = remaining.get(payload.partition);
      if (end !== undefined && BigInt(payload.lastOffset) + 1n >= end) remaining.delete(payload.partition);
      check();
    });
    check();
  });
  await consumer.run({ eachMessage: async ({ message }) => read(registry, settings, wanted, message, summary) });
  await done;
  await consumer.disconnect();
  return summary;
}

// Key: environmentId NUL segmentRef NUL 32 hash bytes. Keeps the last state of the wanted segments' members.
async function read(registry, settings, wanted, message, summary) {
  const key = message.key;
  const envEnd = key.indexOf(0);
  const refEnd = key.indexOf(0, envEnd + 1);
  const environmentId = key.subarray(0, envEnd).toString('utf8');
  const ref = key.subarray(envEnd + 1, refEnd).toString('utf8');
  const member = `${ref} ${key.subarray(refEnd + 1).toString('base64')}`;
  const ours = environmentId === settings.environmentId && wanted.has(ref);
  if (message.value === null) {
    summary.tombstones++;
    if (ours) delete summary.members[member];
    return;
  }
  try {
    const state = await registry.decode(message.value);
    summary.decoded++;
    if (ours) summary.members[member] = { included: state.included, excluded: state.excluded };
  } catch (e) {
    summary.failures.push(`${message.offset}: ${e.message}`);
  }
}

async function main() {
  const [mode, json] = process.argv.slice(2);
  const settings = JSON.parse(json);
  const work = mode === 'produce' ? produce(settings) : mode === 'consume' ? consume(settings)
    : Promise.reject(new Error(`unknown mode ${mode}: produce or consume`));
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`${mode} took over ${DEADLINE_MS} ms`)), DEADLINE_MS).unref());
  process.stdout.write(`${JSON.stringify(await Promise.race([work, timeout]))}\n`);
}

main().then(() => process.exit(0), (e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
