import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Socket } from 'node:net';
import { faultAnswer } from './answer.js';
import type { FaultInjector } from './injector.js';
import type { Timers } from './timers.js';
import { HANG_LIMIT_MS, type FaultAct } from './types.js';

/**
 * The thin fastify shell around the fault engine: it asks the injector for a request's fault and
 * carries it out. Called by the server's onRequest hook once the credential is accepted, so that a
 * fault never answers a request without one; the normal handler runs only when the fault lets it.
 */
export type FaultStep = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

export interface FaultHookOptions {
  timers: Timers;
  now: () => Date;
  /** Told of every injected fault before it acts, with its label (request-log.ts notes it). */
  onFault?: (request: FastifyRequest, reply: FastifyReply, label: string) => void;
}

export const FAULT_HEADER = 'x-scimulator-fault';

/** Sends RST where the socket can (a TCP socket), else closes it; `app.inject()`'s stand-in has neither. */
function reset(socket: Socket | null): void {
  if (socket === null || socket.destroyed) return;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else if (typeof socket.destroy === 'function') socket.destroy();
}

/**
 * Replaces the response's `end` so that the normal answer's headers (with its full Content-Length)
 * and only part of its body are sent, then the connection is closed: normally (`truncate`) or
 * with a reset (`reset: mid-body`). The reference server's answers are written whole by one `end`.
 */
function cutOff(reply: FastifyReply, act: FaultAct): void {
  const res = reply.raw;
  res.end = function endPart(chunk?: unknown): typeof res {
    const body = typeof chunk === 'string' || Buffer.isBuffer(chunk) ? Buffer.from(chunk) : Buffer.alloc(0);
    const keep = typeof act.truncate === 'number' ? Math.min(act.truncate, Math.max(0, body.length - 1)) : Math.floor(body.length / 2);
    const socket = res.socket;
    const close = () => {
      // A millisecond later, on the real clock: the client reads the part first (a reset discards what the peer has not read yet).
      if (act.reset === 'mid-body') setTimeout(() => reset(socket), 1);
      else socket?.end(() => socket.destroy());
    };
    if (keep > 0) {
      res.write(body.subarray(0, keep), close);
    } else {
      res.flushHeaders();
      close();
    }
    return res;
  } as typeof res.end;
}

/** The fault step of a server; registers what ends held connections when the server closes. */
export function faultStep(app: FastifyInstance, injector: FaultInjector, options: FaultHookOptions): FaultStep {
  const { timers, now, onFault } = options;
  /** Connections waiting on a timer (a delay or a hang): a closing server ends them. */
  const held = new Map<FastifyReply, unknown>();

  /** Waits `ms` on the timers, then runs `then`; a client that goes away first ends the wait. */
  function hold(reply: FastifyReply, ms: number, then: () => void): void {
    const onClose = () => {
      timers.clearTimeout(held.get(reply));
      held.delete(reply);
    };
    held.set(
      reply,
      timers.setTimeout(() => {
        held.delete(reply);
        reply.raw.off('close', onClose);
        then();
      }, ms),
    );
    reply.raw.once('close', onClose);
  }

  app.addHook('preClose', (done) => {
    for (const [reply, handle] of held) {
      timers.clearTimeout(handle);
      reset(reply.raw.socket);
    }
    held.clear();
    done();
  });

  function act(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction, fault: FaultAct, label: string): void {
    if (fault.reset === 'before-headers') return reset(request.raw.socket);
    reply.header(FAULT_HEADER, label);
    if (fault.status !== undefined) {
      const answer = faultAnswer({ ...fault, status: fault.status }, now().getTime());
      reply.code(answer.status).headers(answer.headers).send(answer.body);
      return;
    }
    if (fault.reset === 'mid-body' || fault.truncate !== undefined) cutOff(reply, fault);
    done();
  }

  return function injectFault(request, reply, done) {
    const fired = injector.decide(request.method, request.url);
    if (fired === undefined) return done();
    onFault?.(request, reply, fired.label);
    const { act: fault, label } = fired;
    if (fault.hang) return hold(reply, HANG_LIMIT_MS, () => reset(request.raw.socket));
    if (fault.delay === undefined || fault.delay === 0) return act(request, reply, done, fault, label);
    hold(reply, fault.delay, () => act(request, reply, done, fault, label));
  };
}
