// A scripted browser for the headless admin HTTP server: keeps the session cookie and the CSRF
// token the way the renderer's HTTP transport does, so tests speak to the server as the GUI would.
export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RpcBody {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string; field?: string };
  csrfToken?: string;
  [key: string]: unknown;
}

export class AdminHttpClient {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(readonly base: string) {}

  /** `http://127.0.0.1:PORT/#/setup/TOKEN` → the token. */
  static tokenOf(setupUrl: string): string {
    const m = /#\/setup\/([A-Za-z0-9_-]+)$/.exec(setupUrl);
    if (!m) throw new Error(`not a setup URL: ${setupUrl}`);
    return m[1];
  }

  async request<T = RpcBody>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer<T>> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0];
      this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    const type = res.headers.get('content-type') ?? '';
    const parsed = (type.startsWith('application/json') ? await res.json() : await res.text()) as T;
    if (type.startsWith('application/json')) {
      const token = (parsed as RpcBody).csrfToken;
      if (typeof token === 'string') this.csrfToken = token;
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  setup(token: string) {
    return this.request('POST', '/auth/setup', { token });
  }

  login(password: string) {
    return this.request('POST', '/auth/login', { password });
  }

  setPassword(password: string, currentPassword?: string) {
    return this.request('POST', '/auth/password', { password, currentPassword });
  }

  call(method: string, input: unknown = {}) {
    return this.request('POST', `/api/${method}`, input);
  }

  /** A call that must succeed: its result, or an error with the server's answer. */
  async result<T = unknown>(method: string, input: unknown = {}): Promise<T> {
    const answer = await this.call(method, input);
    if (answer.status !== 200) throw new Error(`${method} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.result as T;
  }

  /** Redeems a setup URL and sets the admin password: a logged-in client, as after the wizard's first step. */
  static async firstRun(base: string, setupUrl: string, password = 'admin password 1'): Promise<AdminHttpClient> {
    const client = new AdminHttpClient(base);
    const setup = await client.setup(AdminHttpClient.tokenOf(setupUrl));
    if (setup.status !== 200) throw new Error(`setup failed: ${JSON.stringify(setup.body)}`);
    const set = await client.setPassword(password);
    if (set.status !== 200) throw new Error(`setting the password failed: ${JSON.stringify(set.body)}`);
    return client;
  }
}
