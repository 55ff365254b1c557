// The SMTP session's domain logic, free of smtp-server: what to do at connect, AUTH, MAIL, RCPT and
// DATA for the MX (25), submission (587) and submissions (465) listeners. server.ts adapts these async
// functions to smtp-server's callbacks; every refusal here is a thrown SmtpReply.
//
// Implementation notes:
// - A session works on one policy snapshot and one settings read (rules edited meanwhile apply from
//   the next connection), given at connect by the listener, and resolves its DNSBL zones once.
// - HELO-stage rules run at the first MAIL FROM (smtp-server has no HELO hook); this is Postfix's
//   default smtpd_delay_reject behaviour, and clients handle a refusal there fine.
// - A transaction's accepted recipients live in `state.recipients`, cleared at each MAIL FROM (a
//   RCPT needs a MAIL first, so RSET/EHLO need no hook); DATA uses those smtp-server still lists.
// - Submission listeners refuse MAIL before AUTH here too, not only in smtp-server: with AUTH not
//   offered before TLS, smtp-server itself would let MAIL through.
// - Relay is judged on the RCPT domain (hosted or not) by the policy's built-in tail; an alias that
//   forwards to an outside address is the admin's choice and is queued whoever sent the mail.
// - SPF/DKIM/DMARC (inbound-auth.ts) are for unauthenticated MX mail from outside trusted relay
//   networks only. SPF starts at the first accepted RCPT (its DNS lookups overlap the rest of the
//   transaction; a transaction with no recipient we take costs no lookups), the rest runs at DATA
//   after the data-stage rules and before delivery, and the verdict is decided there.
// - Milters (milter-stage.ts) see each stage after our own checks of it passed; their header and body
//   edits change the one message every local copy and the queued copy share, their envelope edits
//   change the sender and the recipients before delivery (milter-envelope.ts).
import type { SmtpContext, SmtpListenerName } from '../context.js';
import type { Logger } from '../log.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { DnsResolver } from '../dns/resolver.js';
import type { Settings } from '../settings.js';
import { decide, lookupListings } from '../policy/index.js';
import type { Facts, Policy } from '../policy/engine.js';
import type { DnsblLookup } from '../policy/dnsbl.js';
import { plaintextAuthAllowed, protocolAllowed, type TrustedNetwork } from '../policy/networks.js';
import type { RateWindow } from '../policy/limits.js';
import type { ConnectionCounter } from '../net/connection-counter.js';
import { Replies, type SmtpReply } from '../policy/smtp-reply.js';
import { type AcceptedMessage, type AcceptedRecipient, type DeliveryAgent, type DomainLookups, type RecipientRefusal } from '../delivery/index.js';
import type { Address } from '../mime/addr-spec.js';
import { hostedLocalPartProblem, parseEnvelopeAddress } from './envelope-address.js';
import { authenticateInbound, inboundAuthApplies, type CheckedMessage } from './inbound-auth.js';
import { startSpf, type SpfOutcome } from '../auth-checks/index.js';
import { checkEnvelopeSender, checkFromHeader } from './sender-identity.js';
import { createMilterChains, type SmtpMilters } from './milter-stage.js';
import { applyMilterEnvelope } from './milter-envelope.js';
import { spamVerdict } from './spam-verdict.js';
import { listDecisions } from '../delivery/spam-filing.js';
import { checkGreylist } from '../policy/greylist.js';


/** The narrow view of the shared authenticator (server/auth) that SMTP needs. */
export type SmtpAuth = Pick<Authenticator, 'verify'>;

export interface SmtpUser {
  accountId: number;
  address: string;
}

export interface SessionState {
  id: string;
  listener: SmtpListenerName;
  log: Logger;
  settings: Settings;
  policy: Policy;
  facts: Facts;
  secure: boolean;
  user: SmtpUser | null;
  /** 4xx/5xx replies since the last accepted message (soft/hard error limits). */
  errors: number;
  /** Whether this session holds a slot in the per-source connection count. */
  counted: boolean;
  declaredSize: number;
  recipients: Map<string, AcceptedRecipient>;
  /** The milters of this listener, or null when none is configured for it. */
  milters: SmtpMilters | null;
  /** A milter asked to discard the current transaction (250, nothing stored). */
  discard: boolean;
  /** This transaction's SPF check, started at its first accepted RCPT when inbound checks apply. */
  spf: Promise<SpfOutcome> | null;
  /** HELO as given at MAIL FROM (what SPF was started with). */
  helo: string;
  /** This transaction's domain rows and transports, each read once by its RCPTs and DATA. */
  lookups: DomainLookups;
}

export interface SessionDeps {
  ctx: SmtpContext;
  auth: SmtpAuth;
  agent: DeliveryAgent;
  dnsbl: DnsblLookup;
  /** The resolver SPF/DKIM/DMARC ask (a caching one in the listeners). */
  resolver: DnsResolver;
  connections: ConnectionCounter;
  rate: RateWindow;
}

/** What the listener read for a new connection before greeting it. */
export interface ConnectSnapshot {
  settings: Settings;
  policy: Policy;
  /** The client's trusted network in `policy` (null: none). */
  network: TrustedNetwork | null;
  /** The greeting pause this client waited through without talking (0: greeted at once). */
  greetPauseMs: number;
}

/** What the Received header needs from smtp-server's session at DATA. */
export interface DataContext {
  helo: string;
  clientHostname: string;
  protocol: string;
  tls: { version: string; cipher: string } | null;
  transaction: number;
}

/** What MAIL FROM carries besides the address. */
export interface MailContext {
  helo: string;
  declaredSize: number;
  /** ESMTP parameters as the client wrote them (`SIZE=1234`, `BODY=8BITMIME`). */
  params: string[];
  transaction: number;
  tls: { version: string; cipher: string } | null;
}

/** What the DATA reply says: stored/queued, held by a milter's quarantine, or discarded by a milter. */
export type DataOutcome = AcceptedMessage & { quarantineId?: string; discarded?: boolean };

export function createSessionLogic(deps: SessionDeps) {
  const { ctx, agent } = deps;
  const requiresAuth = (s: SessionState) => s.listener !== 'smtp';
  const milterChains = createMilterChains(ctx.log.child({ component: 'milter' }));
  const queueIdOf = (state: SessionState, transaction: number) => `${state.id}.${transaction}`;

  /** Block lists, then greylisting, for an unauthenticated recipient (its local accounts). */
  const checkSender = async (state: SessionState, rcpt: string, local: ReadonlyArray<{ accountId: number }>) => {
    const sender = state.facts.sender ?? '';
    const decisions = local.length > 0 ? [...(await listDecisions(ctx.store, sender, state.facts.ip, local)).values()] : [];
    const blocked = decisions.find((d) => d?.list === 'block');
    if (blocked && state.settings.spam.blockAction === 'reject') {
      state.log.info('smtp.rcpt-refused', { to: rcpt, reason: 'blocked-sender', list: blocked.why });
      throw Replies.senderBlocked(rcpt);
    }
    const g = state.settings.greylisting;
    // Trusted networks and senders every local recipient allows are not made to wait.
    if (!g.enabled || state.listener !== 'smtp' || state.facts.network !== null) return;
    if (decisions.length > 0 && decisions.every((d) => d?.list === 'allow')) return;
    const judgement = await checkGreylist(ctx.store, g, { ip: state.facts.ip, sender, recipient: rcpt }, ctx.clock.now());
    if (judgement.action === 'pass') {
      if (judgement.firstPass) state.log.info('smtp.greylist-passed', { to: rcpt, from: sender });
      return;
    }
    const retryInMs = judgement.action === 'wait' ? judgement.retryInMs : g.delayMs;
    state.log.info('smtp.rcpt-refused', { to: rcpt, reason: 'greylisted', retryInMs });
    throw Replies.greylisted(rcpt, Math.ceil(retryInMs / 1000));
  };

  return {
    /** The state of a new connection (kept by the caller until close, refused or not). */
    open(listener: SmtpListenerName, id: string, ip: string, secure: boolean, snapshot: ConnectSnapshot): SessionState {
      const { settings, policy } = snapshot;
      const log = ctx.log.child({ component: 'smtp', sessionId: id, fields: { proto: listener, remote: ip } });
      for (const problem of policy.problems) log.warn('policy.rule-unusable', { problem });
      const network = snapshot.network;
      const greet = snapshot.greetPauseMs > 0 ? { greetPauseMs: snapshot.greetPauseMs, greetWait: 'passed' } : {};
      log.info('smtp.connect', { secure, trusted: network?.cidr ?? null, ...greet });
      return {
        id,
        listener,
        log,
        settings,
        policy,
        facts: { ip, network, authenticated: false, helo: null, sender: null, recipients: [], dnsblListed: new Set() },
        secure,
        user: null,
        errors: 0,
        counted: false,
        declaredSize: 0,
        recipients: new Map(),
        milters: milterChains.open(settings, listener === 'smtp' ? 'mx' : 'submission', log),
        discard: false,
        spf: null,
        helo: '',
        lookups: agent.resolver.lookups(),
      };
    },

    /** Admits the connection or throws the refusal (connect-stage rules, per-source limit, network). */
    async admit(state: SessionState, client: { hostname: string | null; port: number }): Promise<void> {
      const { log, facts, settings, policy } = state;
      if (!protocolAllowed(facts.network, 'smtp')) {
        log.warn('smtp.refused', { reason: 'protocol-not-allowed', network: facts.network?.cidr });
        throw Replies.protocolNotAllowed();
      }
      state.counted = true;
      if (deps.connections.enter(facts.ip) > settings.limits.maxConnectionsPerIp) {
        log.warn('smtp.refused', { reason: 'too-many-connections', limit: settings.limits.maxConnectionsPerIp });
        throw Replies.tooManyConnections();
      }
      facts.dnsblListed = await lookupListings(policy, facts.ip, deps.dnsbl);
      const refusal = decide(policy, 'connect', facts, log);
      if (refusal) throw refusal;
      await state.milters?.connect({ hostname: client.hostname, address: facts.ip, port: client.port });
    },

    /** Whether AUTH is offered now: always over TLS, in plaintext only where the network allows it. */
    authOffered(state: SessionState): boolean {
      return state.secure || plaintextAuthAllowed(state.facts.network, state.settings.allowPlaintextAuthFromTrusted);
    },

    secured(state: SessionState): void {
      state.secure = true;
    },

    /** `authzid`: SASL PLAIN's authorization identity, if the client sent one (sender-identity.ts). */
    async authenticate(state: SessionState, method: string, username: string, password: string, authzid?: string): Promise<SmtpUser> {
      const result = await deps.auth.verify({ username, password, authzid }, { protocol: 'smtp', remoteIp: state.facts.ip, secure: state.secure });
      if (!result.ok) {
        state.log.info('smtp.auth', { ok: false, method, user: username, reason: result.reason, retryAfterMs: result.retryAfterMs, ...(authzid && { authzid }) });
        if (result.reason === 'blocked') throw Replies.authBlocked();
        if (result.reason === 'disabled') throw Replies.authDisabled();
        if (result.reason === 'not-authorized') throw Replies.authzidRefused();
        throw Replies.authFailed();
      }
      const { masterUser, ...user } = result;
      state.user = { accountId: user.accountId, address: user.address };
      state.facts.authenticated = true;
      state.log = state.log.child({ fields: { user: user.address } });
      state.log.info('smtp.auth', { ok: true, method, accountId: user.accountId, ...(masterUser && { masterUser }) });
      return state.user;
    },

    async mailFrom(state: SessionState, sender: string, mail: MailContext): Promise<void> {
      const { helo, declaredSize } = mail;
      state.recipients.clear();
      state.lookups = agent.resolver.lookups();
      state.discard = false;
      state.spf = null;
      state.facts.sender = null;
      state.facts.recipients = [];
      if (requiresAuth(state) && !state.user) throw state.secure ? Replies.authRequired() : Replies.tlsRequired();
      state.facts.helo = helo;
      state.helo = helo;
      const heloRefusal = decide(state.policy, 'helo', state.facts, state.log);
      if (heloRefusal) throw heloRefusal;

      let address: Address | null = null;
      if (sender !== '') {
        const parsed = parseEnvelopeAddress(sender);
        if (!parsed.ok) throw Replies.badSender(sender, parsed.why);
        address = parsed.address;
      }
      if (state.user) {
        if (state.settings.enforceSenderOwnership) await checkEnvelopeSender(ctx.store, state.user, sender, address, state.log);
        if (!deps.rate.allows(String(state.user.accountId), state.settings.limits.messagesPerUserPerHour)) {
          state.log.info('smtp.rate-limited', { limit: state.settings.limits.messagesPerUserPerHour });
          throw Replies.rateLimited();
        }
      }
      state.facts.sender = address ? `${address.local}@${address.domain}` : '';
      const refusal = decide(state.policy, 'mail-from', state.facts, state.log);
      if (refusal) throw refusal;
      state.declaredSize = declaredSize;
      if (state.milters) {
        const macros = {
          i: queueIdOf(state, mail.transaction),
          auth_authen: state.user?.address,
          tls_version: mail.tls?.version,
          cipher: mail.tls?.cipher,
        };
        state.discard = await state.milters.mail(helo, state.facts.sender, mail.params, macros);
      }
    },

    async rcptTo(state: SessionState, recipient: string, params: string[] = []): Promise<void> {
      const key = recipient.toLowerCase();
      if (!state.recipients.has(key) && state.recipients.size >= state.settings.limits.maxRecipients) throw Replies.tooManyRecipients();
      const hosted = await agent.resolver.isHosted(recipientDomain(state, recipient), state.lookups);
      const address = recipientAddress(state, recipient, hosted);
      const text = `${address.local}@${address.domain}`;
      const refusal = decide(state.policy, 'rcpt-to', state.facts, state.log, { address: text, local: hosted });
      if (refusal) throw refusal;
      const resolution = await agent.resolver.resolve(address, state.declaredSize, state.lookups);
      if (!resolution.ok) {
        state.log.warn('smtp.rcpt-refused', { to: text, reason: resolution.refusal, detail: resolution.detail });
        throw refusalReply(resolution.refusal, text, state.settings);
      }
      if (state.user === null) await checkSender(state, text, resolution.route.local);
      if (state.milters && !state.discard) state.discard = await state.milters.rcpt(text, params);
      state.recipients.set(key, { address: text, route: resolution.route });
      if (state.spf === null && inboundChecked(state)) {
        state.spf = startSpf({ ip: state.facts.ip, helo: state.helo, sender: state.facts.sender ?? '', hostname: state.settings.hostname }, deps.resolver);
        // Awaited at DATA, if the transaction gets there; a failure is handled there too.
        state.spf.catch(() => {});
      }
    },

    async data(state: SessionState, raw: Buffer, rcptTo: string[], d: DataContext): Promise<DataOutcome> {
      if (state.user && state.settings.enforceSenderOwnership) await checkFromHeader(ctx.store, state.user, raw, state.log);
      let recipients = rcptTo.map((r) => state.recipients.get(r.toLowerCase())).filter((r): r is AcceptedRecipient => r !== undefined);
      state.facts.recipients = recipients.map((r) => r.address);
      const refusal = decide(state.policy, 'data', state.facts, state.log);
      if (refusal) throw refusal;
      const checked: CheckedMessage = inboundChecked(state)
        ? await authenticateInbound(
            {
              raw,
              ip: state.facts.ip,
              helo: d.helo,
              sender: state.facts.sender ?? '',
              hostname: state.settings.hostname,
              recipientDomains: await hostedDomains(recipients, (domain) => agent.resolver.isHosted(domain, state.lookups)),
              spf: d.helo === state.helo ? (state.spf ?? undefined) : undefined,
            },
            { resolver: deps.resolver, domains: { get: state.lookups.domain }, log: state.log },
          )
        : { fields: '', message: raw };
      // Our fields stay apart from the bytes until delivery joins them (one copy of the message), unless a milter needs it whole.
      let message = checked.message;
      let fields = checked.fields;
      let sender = state.facts.sender ?? '';
      let quarantine: { milter: string; reason: string } | null = null;
      let spam: string | null = null;
      if (state.milters && !state.discard) {
        const whole = fields === '' ? message : Buffer.concat([Buffer.from(fields, 'utf8'), message]);
        const outcome = await state.milters.message(whole, { i: queueIdOf(state, d.transaction) });
        if (outcome === 'discard') state.discard = true;
        else {
          message = outcome.message;
          fields = '';
          quarantine = outcome.quarantine;
          spam = spamVerdict(outcome.modifications, state.settings.spam.junkThreshold);
          ({ sender, recipients } = await applyMilterEnvelope({ sender, recipients }, outcome.modifications, agent.resolver, state.log));
        }
      }
      if (state.discard) {
        state.errors = 0;
        state.log.info('smtp.discarded', { from: state.facts.sender, to: recipients.map((r) => r.address), size: raw.length });
        return { messageId: null, size: raw.length, stored: [], queueId: null, discarded: true };
      }
      const info = {
        id: queueIdOf(state, d.transaction),
        hostname: state.settings.hostname,
        helo: d.helo,
        clientHostname: d.clientHostname,
        ip: state.facts.ip,
        protocol: d.protocol,
        tls: d.tls,
        authenticatedAs: state.user?.address ?? null,
        sender,
      };
      if (quarantine) {
        const held = await agent.hold({ raw: message, info, recipients, quarantine, log: state.log });
        state.errors = 0;
        return { messageId: held.messageId, size: held.size, stored: [], queueId: null, quarantineId: held.quarantineId };
      }
      const accepted = await agent.accept({ raw: message, fields, recipients, log: state.log, info, spam });
      if (state.user) deps.rate.record(String(state.user.accountId));
      state.errors = 0;
      state.log.info('smtp.accepted', {
        messageId: accepted.messageId,
        from: state.facts.sender,
        to: recipients.map((r) => r.address),
        size: accepted.size,
        queueId: accepted.queueId,
      });
      return accepted;
    },

    close(state: SessionState | undefined, ip: string): void {
      if (state?.counted) deps.connections.leave(ip);
      state?.milters?.quit();
      state?.log.info('smtp.close', { errors: state.errors });
    },
  };
}

export type SessionLogic = ReturnType<typeof createSessionLogic>;

/** Whether this session's mail gets the SPF/DKIM/DMARC checks. */
const inboundChecked = (state: SessionState) => inboundAuthApplies({ listener: state.listener, authenticated: state.user !== null, network: state.facts.network });

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** RCPT address → Address; bare `postmaster` (RFC 5321 §4.1.1.3) means postmaster at our hostname. */
/** The domain RCPT TO names (bare `postmaster` is ours), or '' when it does not parse. */
function recipientDomain(state: SessionState, recipient: string): string {
  const parsed = parseEnvelopeAddress(recipient.toLowerCase() === 'postmaster' ? `postmaster@${state.settings.hostname}` : recipient);
  return parsed.ok ? parsed.address.domain : '';
}

/** The distinct hosted domains of `recipients`. */
async function hostedDomains(recipients: readonly AcceptedRecipient[], isHosted: (domain: string) => Promise<boolean>): Promise<string[]> {
  const hosted: string[] = [];
  for (const domain of new Set(recipients.map((r) => domainOf(r.address)))) if (await isHosted(domain)) hosted.push(domain);
  return hosted;
}

function recipientAddress(state: SessionState, recipient: string, hosted: boolean): Address {
  const text = recipient.toLowerCase() === 'postmaster' ? `postmaster@${state.settings.hostname}` : recipient;
  const parsed = parseEnvelopeAddress(text);
  if (!parsed.ok) throw Replies.badRecipient(recipient, parsed.why);
  if (hosted) {
    if (parsed.relaySyntax) {
      state.log.warn('smtp.rcpt-refused', { to: recipient, reason: 'relay-syntax' });
      throw Replies.relaySyntax(recipient);
    }
    const problem = hostedLocalPartProblem(parsed.address.local);
    if (problem) throw Replies.badRecipient(recipient, problem);
  }
  return parsed.address;
}

function refusalReply(refusal: RecipientRefusal, rcpt: string, settings: Settings): SmtpReply {
  switch (refusal) {
    case 'unknown-user':
      return Replies.unknownUser(rcpt);
    case 'disabled':
      return Replies.disabledMailbox(rcpt);
    case 'over-quota':
      return settings.overQuotaReply === '552' ? Replies.overQuotaPermanent(rcpt) : Replies.overQuotaTemporary(rcpt);
    case 'domain-rejected':
      return Replies.domainRejected(rcpt);
    case 'no-inbox':
      return Replies.localError();
    case 'srs-invalid':
      return Replies.srsInvalid(rcpt);
  }
}
