// Mail-client setup files (issue 7): the settings per protocol, Thunderbird's autoconfig file
// (config-v1.1.xml, published at https://autoconfig.<domain>/mail/config-v1.1.xml) and an Apple
// configuration profile (.mobileconfig) for one address. Pure text generators.
export interface ClientEndpoint {
  protocol: 'IMAP' | 'POP3' | 'SMTP';
  port: number;
  security: 'SSL/TLS' | 'STARTTLS';
}

/** What Mailroom offers mail clients, preferred first per protocol. */
export const CLIENT_ENDPOINTS: ClientEndpoint[] = [
  { protocol: 'IMAP', port: 993, security: 'SSL/TLS' },
  { protocol: 'IMAP', port: 143, security: 'STARTTLS' },
  { protocol: 'POP3', port: 995, security: 'SSL/TLS' },
  { protocol: 'POP3', port: 110, security: 'STARTTLS' },
  { protocol: 'SMTP', port: 587, security: 'STARTTLS' },
  { protocol: 'SMTP', port: 465, security: 'SSL/TLS' },
];

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function thunderbirdAutoconfig(domain: string, hostname: string): string {
  const server = (tag: 'incomingServer' | 'outgoingServer', type: string, e: ClientEndpoint) =>
    `    <${tag} type="${type}">
      <hostname>${xml(hostname)}</hostname>
      <port>${e.port}</port>
      <socketType>${e.security === 'SSL/TLS' ? 'SSL' : 'STARTTLS'}</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </${tag}>`;
  const servers = CLIENT_ENDPOINTS.map((e) =>
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

/** An Apple configuration profile with one IMAP account (993 TLS in, 587 STARTTLS out); no password inside. */
export function appleMobileconfig(address: string, displayName: string, hostname: string, uuid: () => string): string {
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
${i('IncomingMailServerPortNumber', 993)}
${b('IncomingMailServerUseSSL', true)}
${s('IncomingMailServerUsername', address)}
${s('OutgoingMailServerAuthentication', 'EmailAuthPassword')}
${s('OutgoingMailServerHostName', hostname)}
${i('OutgoingMailServerPortNumber', 587)}
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
