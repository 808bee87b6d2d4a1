// The OpenAI Node SDK as an anchor for llm_throughput: N concurrent callers sharing one client
// (the SDK's own connection handling), each sending the next request body of --bodies (one JSON
// per line) through client.completions.create or client.chat.completions.create.
//
//   node anchor_node_sdk.cjs --modules DIR --base-url URL --bodies FILE --concurrency N
//
// Prints one JSON line: done, failed, seconds, cpu (process CPU over the requests), done_at
// (completion times in ms since the first request) and the SDK's version.
'use strict';

const fs = require('fs');
const path = require('path');

function option(name) {
    const i = process.argv.indexOf('--' + name);
    if (i < 0 || i + 1 >= process.argv.length) {
        console.error(`expected --${name}`);
        process.exit(2);
    }
    return process.argv[i + 1];
}

async function main() {
    const modules = option('modules');
    const sdk = require(path.join(modules, 'openai'));
    const OpenAI = sdk.OpenAI || sdk.default || sdk;
    let version = '';
    try {
        version = JSON.parse(fs.readFileSync(path.join(modules, 'openai', 'package.json'), 'utf8')).version;
    } catch (e) {
        version = '?';
    }
    const bodies = fs.readFileSync(option('bodies'), 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
    const concurrency = parseInt(option('concurrency'), 10);
    const client = new OpenAI({ apiKey: 'not-needed', baseURL: option('base-url'), maxRetries: 0, timeout: 60000 });

    const doneAt = [];
    let failed = 0;
    let next = 0;
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const elapsedMs = () => Number((process.hrtime.bigint() - start) / 1000000n);
    async function caller() {
        while (next < bodies.length) {
            const body = bodies[next++];
            try {
                const answer = body.messages ? await client.chat.completions.create(body)
                                             : await client.completions.create(body);
                if (!answer.choices || answer.choices.length === 0)
                    ++failed;
            } catch (e) {
                ++failed;
            }
            doneAt.push(elapsedMs());
        }
    }
    await Promise.all(Array.from({ length: concurrency }, caller));
    const seconds = elapsedMs() / 1000;
    const cpu = process.cpuUsage(cpuStart);
    console.log(JSON.stringify({
        done: doneAt.length - failed, failed, seconds, cpu: (cpu.user + cpu.system) / 1e6,
        done_at: doneAt.sort((a, b) => a - b), version,
    }));
}

main().catch(e => {
    console.error(String(e && e.stack || e));
    process.exit(1);
});
