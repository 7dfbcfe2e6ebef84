/**
 * A small cookie-keeping client for the dashboard's forms, over any fetch-like function (the Node app's
 * `app.request`, or the Worker's fetch handler inside workerd).
 */
export function formBrowser(fetcher: (path: string, init: RequestInit) => Response | Promise<Response>) {
  const jar = new Map<string, string>();
  const setCookies: string[] = [];
  const request = async (path: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { "accept-language": "es-PA,es;q=0.9" };
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    if (init.form) headers["content-type"] = "application/x-www-form-urlencoded";
    const res = await fetcher(path, { method: init.method ?? (init.form ? "POST" : "GET"), redirect: "manual", headers, body: init.form ? new URLSearchParams(init.form).toString() : undefined });
    for (const cookie of res.headers.getSetCookie()) {
      setCookies.push(cookie);
      const [pair] = cookie.split(";");
      const [name, value] = pair!.split("=");
      if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name!);
      else jar.set(name!, value ?? "");
    }
    return { status: res.status, location: res.headers.get("location"), html: await res.text() };
  };
  const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? "";
  const signIn = async (username: string, password: string) => {
    const page = await request("/caseworker/login");
    return request("/caseworker/login", { form: { username, password, _csrf: field(page.html, "_csrf") } });
  };
  return { request, signIn, field, jar, setCookies };
}
