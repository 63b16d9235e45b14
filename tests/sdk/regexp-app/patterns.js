// Preloaded: xsl writes this RegExp to the image without its match buffer (xs/sources/xsre.c).
export const PRELOADED = /^(a+)(b+)(c)?$/;
