// What the Node tests share: the REST API as a test calls it (BASE_URL and STEEL_API_KEY from the environment),
// and a failing check.

export async function api(method, path, body) {
  const response = await fetch(process.env.BASE_URL + path, {
    method,
    headers: { 'steel-api-key': process.env.STEEL_API_KEY, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) {
    throw new Error(`${method} ${path}: HTTP ${response.status} ${JSON.stringify(json)}`);
  }
  return json;
}

export function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}
