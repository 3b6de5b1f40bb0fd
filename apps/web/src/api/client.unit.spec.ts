import { api, ok, onUnauthorized, setBearer } from './client';

/** The API's answer to every request of a test, and the requests it saw. */
function answering(status: number) {
  const seen: Request[] = [];
  const fetch = async (request: Request) => {
    seen.push(request);
    return new Response(JSON.stringify(status === 200 ? { oidc: null, devSignIn: true } : { title: 'no' }), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return { seen, call: () => api.GET('/auth/config', { baseUrl: 'http://127.0.0.1', fetch }) };
}

describe("the web app's API client", () => {
  let ended = 0;
  beforeEach(() => {
    ended = 0;
    onUnauthorized(() => (ended += 1));
  });
  afterEach(() => {
    onUnauthorized(null);
    setBearer(null);
  });

  it("ends the session when the API refuses the session's token", async () => {
    setBearer('a-token');
    const api401 = answering(401);
    await expect(ok(api401.call())).rejects.toMatchObject({ status: 401 });
    expect(api401.seen[0].headers.get('Authorization')).toBe('Bearer a-token');
    expect(ended).toBe(1);
  });

  it('leaves a 401 to an unsigned request (signing in) and any other answer alone', async () => {
    await expect(ok(answering(401).call())).rejects.toMatchObject({ status: 401 });
    setBearer('a-token');
    await expect(ok(answering(403).call())).rejects.toMatchObject({ status: 403 });
    expect(await ok(answering(200).call())).toEqual({ oidc: null, devSignIn: true });
    expect(ended).toBe(0);
  });
});
