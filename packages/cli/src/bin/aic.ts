#!/usr/bin/env node
// First, before undici is evaluated: one es/en line and exit 1 on an unsupported Node.js.
import './require-node.js';
import { run } from '../run.js';
import { createProcessIo } from './process-io.js';

const controller = new AbortController();
// First Ctrl-C cancels the running command (it exits with its error); a second one kills.
process.once('SIGINT', () => controller.abort(new Error('SIGINT')));

const { io, close } = createProcessIo(controller.signal);
const code = await run(process.argv.slice(2), io);
close();
process.exitCode = code;
// Nothing should be left running; if something is, do not hang the shell.
setTimeout(() => process.exit(code), 2000).unref();
