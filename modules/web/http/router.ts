// Method + path routing with `:name` segments. An unknown path is 404; a known path with another
// method is 405 with Allow; HEAD is served by the GET route (the serializer drops the body).

import { errorResponse } from "./response.js";
import type { HttpRequest, HttpResponse } from "./types.js";

export type RouteHandler = (
  request: HttpRequest,
  params: Record<string, string>,
) => HttpResponse | Promise<HttpResponse>;

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

function split(path: string): string[] {
  return path.split("/").slice(1);
}

export class Router {
  readonly #routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    this.#routes.push({ method, segments: split(pattern), handler });
    return this;
  }

  /** The handler to give the server. */
  readonly handle = (request: HttpRequest): HttpResponse | Promise<HttpResponse> => {
    const segments = split(request.path);
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const params = match(route.segments, segments);
      if (params === undefined) continue;
      if (route.method === request.method || (request.method === "HEAD" && route.method === "GET")) {
        return route.handler(request, params);
      }
      allowed.push(route.method);
      if (route.method === "GET") allowed.push("HEAD");
    }
    if (allowed.length === 0) return errorResponse(404, "not_found", `no resource at ${request.path}`);
    const allow = [...new Set(allowed)].join(", ");
    return errorResponse(405, "method_not_allowed", `${request.method} is not allowed here`, { allow }, [
      ["Allow", allow],
    ]);
  };
}

function match(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith(":")) {
      if (segments[i] === "") return undefined;
      params[p.slice(1)] = segments[i];
    } else if (p !== segments[i]) {
      return undefined;
    }
  }
  return params;
}
