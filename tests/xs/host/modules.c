/*
 * Module names for the XS test host. Relative and absolute specifiers resolve as in xsnap, relative
 * ones then named by their real path; a bare
 * specifier (a Moddable module name such as "timer" or "embedded:io/socket/tcp") resolves to
 * $XSHOST_SHIMS/<name>.js, with ':' read as '/', so shims stand in for the SDK's modules.
 */
#include <stdlib.h>

#include "xsAll.h"

extern txID xsnapFindModule(txMachine* the, txSlot* realm, txID moduleID, txSlot* slot); /* renamed in the Makefile */

txID fxFindModule(txMachine* the, txSlot* realm, txID moduleID, txSlot* slot) {
  char name[C_PATH_MAX];
  char path[C_PATH_MAX];
  const char* shims = getenv("XSHOST_SHIMS");
  char* c;
  fxToStringBuffer(the, slot, name, sizeof(name));
  if (name[0] == '.') {
    /* xsnap joins "../../x" textually and keeps the ".." in the module's name, so the next
       relative import from that module would start from the wrong directory: name each module
       by its real path instead (which also gives one instance per file). */
    txID id = xsnapFindModule(the, realm, moduleID, slot);
    if (id != XS_NO_ID && realpath(fxGetKeyName(the, id), path))
      return fxNewNameC(the, path);
    return id;
  }
  if (name[0] == '/' || shims == NULL)
    return xsnapFindModule(the, realm, moduleID, slot);
  for (c = name; *c; c++)
    if (*c == ':')
      *c = '/';
  if (snprintf(path, sizeof(path), "%s/%s.js", shims, name) >= (int)sizeof(path))
    mxRangeError("module path too long");
  return fxNewNameC(the, path);
}
