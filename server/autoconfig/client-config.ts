// What mail clients need to find this server (issue 7, issue 18): the endpoints per protocol, taken
// from the ports the server really listens on (never a second list of port numbers), Thunderbird's
// autoconfig file (config-v1.1.xml), Outlook's Autodiscover answer and an Apple configuration
// profile (.mobileconfig) for one address. Pure text generators, shared by the GUI's downloads and the
// autoconfig HTTP listener.
import type { PortName } from '../settings.js';

export interface ClientEndpoint {
  protocol: 'IMAP' | 'POP3' | 'SMTP';
  port: number;
  security: 'SSL/TLS' | 'STARTTLS';
}

/** Which listener serves which protocol, preferred first per protocol. */
const CLIENT_LISTENERS: ReadonlyArray<{ name: PortName; protocol: ClientEndpoint['protocol']; security: ClientEndpoint['security'] }> = [
  { name: 'imaps', protocol: 'IMAP', security: 'SSL/TLS' },
  { name: 'imap', protocol: 'IMAP', security: 'STARTTLS' },
  { name: 'pop3s', protocol: 'POP3', security: 'SSL/TLS' },
  { name: 'pop3', protocol: 'POP3', security: 'STARTTLS' },
  { name: 'submission', protocol: 'SMTP', security: 'STARTTLS' },
  { name: 'submissions', protocol: 'SMTP', security: 'SSL/TLS' },
];

/** The client endpoints for these ports (the running listeners', or the settings'); a listener without a port is left out. */
export function clientEndpoints(ports: Partial<Record<string, number>>): ClientEndpoint[] {
  return CLIENT_LISTENERS.flatMap(({ name, protocol, security }) => {
    const port = ports[name];
    return port !== undefined && port > 0 ? [{ protocol, port, security }] : [];
  });
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function thunderbirdAutoconfig(domain: string, hostname: string, endpoints: readonly ClientEndpoint[]): string {
  const server = (tag: 'incomingServer' | 'outgoingServer', type: string, e: ClientEndpoint) =>
    `    <${tag} type="${type}">
      <hostname>${xml(hostname)}</hostname>
      <port>${e.port}</port>
      <socketType>${e.security === 'SSL/TLS' ? 'SSL' : 'STARTTLS'}</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </${tag}>`;
  const servers = endpoints.map((e) =>
    e.protocol === 'SMTP' ? server('outgoingServer', 'smtp', e) : server('incomingServer', e.protocol.toLowerCase(), e),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="${xml(domain)}">
    <domain>${xml(domain)}</domain>
    <displayName>${xml(domain)} mail</displayName>
    <displayShortName>${xml(domain)}</displayShortName>
${servers.join('\n')}
  </emailProvider>
</clientConfig>
`;
}

/** The Outlook ("POX") Autodiscover answer for one address: each endpoint as a Protocol, preferred first. */
export function outlookAutodiscover(address: string, hostname: string, endpoints: readonly ClientEndpoint[]): string {
  // Outlook's Encryption: SSL = implicit TLS, TLS = STARTTLS (it then ignores the older SSL element).
  const protocol = (e: ClientEndpoint) => `      <Protocol>
        <Type>${e.protocol}</Type>
        <Server>${xml(hostname)}</Server>
        <Port>${e.port}</Port>
        <DomainRequired>off</DomainRequired>
        <LoginName>${xml(address)}</LoginName>
        <SPA>off</SPA>
        <Encryption>${e.security === 'SSL/TLS' ? 'SSL' : 'TLS'}</Encryption>
        <AuthRequired>on</AuthRequired>${e.protocol === 'SMTP' ? '\n        <UsePOPAuth>off</UsePOPAuth>\n        <SMTPLast>off</SMTPLast>' : ''}
      </Protocol>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="${AUTODISCOVER_RESPONSE_NS}">
  <Response xmlns="${OUTLOOK_RESPONSE_SCHEMA}">
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
${endpoints.map(protocol).join('\n')}
    </Account>
  </Response>
</Autodiscover>
`;
}

/** An Autodiscover error answer (Exchange's error response: code 600 = invalid request, 603 = not for this server). */
export function autodiscoverError(code: 600 | 603, message: string, now: Date): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="${AUTODISCOVER_RESPONSE_NS}">
  <Response>
    <Error Time="${now.toISOString().slice(11, 19)}" Id="0">
      <ErrorCode>${code}</ErrorCode>
      <Message>${xml(message)}</Message>
      <DebugData />
    </Error>
  </Response>
</Autodiscover>
`;
}

export const AUTODISCOVER_RESPONSE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
/** The response schema Outlook asks for in its request's AcceptableResponseSchema. */
export const OUTLOOK_RESPONSE_SCHEMA = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

/** An Apple configuration profile with one IMAP account (the preferred IMAP and SMTP endpoints); no password inside. */
export function appleMobileconfig(address: string, displayName: string, hostname: string, endpoints: readonly ClientEndpoint[], uuid: () => string): string {
  const incoming = endpoints.find((e) => e.protocol === 'IMAP');
  const outgoing = endpoints.find((e) => e.protocol === 'SMTP');
  if (!incoming || !outgoing) throw new Error('An Apple profile needs an IMAP and an SMTP listener; one of them is off.');
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const id = `mail.mailroom.${domain.split('.').reverse().join('.')}`;
  const s = (key: string, value: string) => `      <key>${key}</key>\n      <string>${xml(value)}</string>`;
  const i = (key: string, value: number) => `      <key>${key}</key>\n      <integer>${value}</integer>`;
  const b = (key: string, value: boolean) => `      <key>${key}</key>\n      <${value}/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
${s('EmailAccountDescription', address)}
${s('EmailAccountName', displayName || address)}
${s('EmailAccountType', 'EmailTypeIMAP')}
${s('EmailAddress', address)}
${s('IncomingMailServerAuthentication', 'EmailAuthPassword')}
${s('IncomingMailServerHostName', hostname)}
${i('IncomingMailServerPortNumber', incoming.port)}
${b('IncomingMailServerUseSSL', true)}
${s('IncomingMailServerUsername', address)}
${s('OutgoingMailServerAuthentication', 'EmailAuthPassword')}
${s('OutgoingMailServerHostName', hostname)}
${i('OutgoingMailServerPortNumber', outgoing.port)}
${b('OutgoingMailServerUseSSL', true)}
${s('OutgoingMailServerUsername', address)}
${b('OutgoingPasswordSameAsIncomingPassword', true)}
${s('PayloadDisplayName', `Mail: ${address}`)}
${s('PayloadIdentifier', `${id}.account.${address.toLowerCase()}`)}
${s('PayloadType', 'com.apple.mail.managed')}
${s('PayloadUUID', uuid())}
${i('PayloadVersion', 1)}
    </dict>
  </array>
  <key>PayloadDisplayName</key>
  <string>${xml(`${domain} mail (${address})`)}</string>
  <key>PayloadIdentifier</key>
  <string>${xml(id)}</string>
  <key>PayloadType</key>
  <string>Configuration</string>
  <key>PayloadUUID</key>
  <string>${uuid()}</string>
  <key>PayloadVersion</key>
  <integer>1</integer>
</dict>
</plist>
`;
}
