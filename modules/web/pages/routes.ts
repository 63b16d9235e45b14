// Static dashboard resources: placeholder until the pages exist.
import type { Router } from "../http/router.js";

export function addPageRoutes(_router: Router): void {}
