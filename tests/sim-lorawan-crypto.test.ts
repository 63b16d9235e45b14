// The simulated devices' LoRaWAN crypto against the spec's vectors (E.3, taken from lora-packet's
// own tests) and against lora-packet on random frames in both directions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { aesCmac, buildDataFrame, buildJoinRequest, dataMic, deriveSessionKeys, openDataFrame, openJoinAccept } from "../sim/lorawan-crypto.js";
import { lora, phy } from "./support/lora-packet.js";

const h = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const rev = (b: Uint8Array) => Uint8Array.from(b).reverse(); // a copy: Buffer.slice would be a view

const NWK = h("44024241ed4ce9a68c6a8bc055233fd3");
const APP = h("ec925802ae430ca77fd3dd73cb2cc588");
const APPKEY = h("98929b92c49edba9676d646d3b612456");

test("AES-CMAC: RFC 4493 examples", () => {
  const key = h("2b7e151628aed2a6abf7158809cf4f3c");
  assert.equal(hex(aesCmac(key, new Uint8Array(0))), "bb1d6929e95937287fa37d129b756746");
  assert.equal(hex(aesCmac(key, h("6bc1bee22e409f96e93d7e117393172a"))), "070a16b46b4d4144f79bdd9dd04a287c");
  assert.equal(hex(aesCmac(key, h("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411"))), "dfa66747de9ae63030ca32611497c827");
});

test("spec E.3 vectors 1-4: data frame MICs and payload decryption", () => {
  const v1 = h("40F17DBE4900020001954378762B11FF0D");
  const o1 = openDataFrame(v1, { nwkSKey: NWK, appSKey: APP }, 0x49be7df1, 0, true);
  assert.ok(o1.ok);
  assert.equal(Buffer.from(o1.value.frmPayload).toString(), "test");
  assert.equal(o1.value.fCnt, 2);
  const v2 = h("40f17dbe490004000155332de41a11adc072553544429ce7787707d1c316e027e7e5e334263376affb8aa17ad30075293f28dea8a20af3c5e7");
  const o2 = openDataFrame(v2, { nwkSKey: NWK, appSKey: APP }, 0x49be7df1, 0, true);
  assert.ok(o2.ok);
  assert.equal(Buffer.from(o2.value.frmPayload).toString(), "The quick brown fox jumps over the lazy dog.");
  const v3 = h("40F17DBE49000300012A3518AF");
  assert.equal(hex(dataMic(NWK, 0, 0x49be7df1, 3, v3.subarray(0, v3.length - 4))), "2a3518af");
  const v4 = h("60f17dbe4920020001f9d65d27");
  assert.equal(hex(dataMic(NWK, 1, 0x49be7df1, 2, v4.subarray(0, v4.length - 4))), "f9d65d27");
  // One flipped bit fails the MIC.
  const bad = v1.slice();
  bad[10] ^= 1;
  assert.equal(openDataFrame(bad, { nwkSKey: NWK, appSKey: APP }, 0x49be7df1, 0, true).ok, false);
});

test("spec E.3 vectors 5-8: join request MIC, join accept, session keys", () => {
  // Displayed AppEUI AA13693363343639, DevEUI 3331383274356905, DevNonce wire 04 89.
  const jr = buildJoinRequest("AA13693363343639", "3331383274356905", 0x8904, APPKEY);
  assert.equal(hex(jr), "0039363463336913aa05693574323831330489c65b1304");
  const accept = h("20e3de108795f776b8037610ef7869b5b3");
  const ja = openJoinAccept(accept, new Uint8Array(16));
  assert.ok(ja.ok);
  assert.equal(ja.value.devAddr, 0);
  const keys = deriveSessionKeys(APPKEY, rev(h("376338")), rev(h("aabbcc")), rev(h("f18e")));
  assert.equal(hex(keys.nwkSKey), "4e3d6e6afbcc67af2ba3c8e8ec4acf4b");
  assert.equal(hex(keys.appSKey), "610897aa6f1460623443b527d3ac6a9d");
});

test("1,000 random uplinks built by the simulator verify and decrypt in lora-packet", () => {
  for (let i = 0; i < 1000; i++) {
    const nwkSKey = new Uint8Array(randomBytes(16));
    const appSKey = new Uint8Array(randomBytes(16));
    const devAddr = randomInt(0, 2 ** 32);
    const fCnt = randomInt(0, 0x10000);
    const data = new Uint8Array(randomBytes(randomInt(0, 60)));
    const fPort = data.length === 0 ? undefined : randomInt(1, 224);
    const confirmed = i % 2 === 0;
    const frame = buildDataFrame({ confirmed, uplink: true, devAddr, fCtrl: 0, fCnt, fOpts: new Uint8Array(0), fPort, frmPayload: data }, { nwkSKey, appSKey });
    const p = lora.fromWire(Buffer.from(frame));
    assert.equal(p.getMType(), confirmed ? "Confirmed Data Up" : "Unconfirmed Data Up");
    assert.equal(p.getFCnt(), fCnt);
    assert.equal(p.DevAddr!.toString("hex"), devAddr.toString(16).padStart(8, "0"));
    assert.equal(lora.verifyMIC(p, Buffer.from(nwkSKey)), true);
    if (fPort !== undefined) assert.equal(hex(lora.decrypt(p, Buffer.from(appSKey), Buffer.from(nwkSKey))), hex(data));
  }
});

test("random downlinks built by lora-packet open in the simulated device; join accepts too", () => {
  for (let i = 0; i < 300; i++) {
    const nwkSKey = randomBytes(16);
    const appSKey = randomBytes(16);
    const devAddr = randomBytes(4);
    const fCnt = randomInt(0, 0x10000);
    const payload = randomBytes(randomInt(1, 40));
    const ack = i % 3 === 0;
    const p = lora.fromFields({ MType: i % 2 ? "Unconfirmed Data Down" : "Confirmed Data Down", DevAddr: devAddr, FCnt: fCnt, FCtrl: { ACK: ack }, FPort: randomInt(1, 224), payload }, appSKey, nwkSKey);
    const o = openDataFrame(phy(p), { nwkSKey, appSKey }, devAddr.readUInt32BE(0), 0, false);
    assert.ok(o.ok, !o.ok ? o.reason : "");
    assert.equal(hex(o.value.frmPayload), payload.toString("hex"));
    assert.equal((o.value.fCtrl & 0x20) !== 0, ack);
    assert.equal(o.value.fCnt, fCnt);
    // Wrong key: refused.
    assert.equal(openDataFrame(phy(p), { nwkSKey: randomBytes(16), appSKey }, devAddr.readUInt32BE(0), 0, false).ok, false);
  }
  for (let i = 0; i < 100; i++) {
    const appKey = randomBytes(16);
    const appNonce = randomBytes(3);
    const netId = randomBytes(3);
    const devAddr = randomBytes(4);
    const ja = lora.fromFields({ MType: "Join Accept", AppNonce: appNonce, NetID: netId, DevAddr: devAddr, DLSettings: 0x12, RxDelay: 1 }, null, null, appKey);
    const o = openJoinAccept(phy(ja), appKey);
    assert.ok(o.ok, !o.ok ? o.reason : "");
    assert.equal(o.value.devAddr, devAddr.readUInt32BE(0));
    assert.equal(o.value.rx1DrOffset, 1);
    assert.equal(o.value.rx2DataRate, 2);
    const devNonce = randomBytes(2);
    const ours = deriveSessionKeys(appKey, rev(appNonce), rev(netId), rev(devNonce));
    const theirs = lora.generateSessionKeys10(appKey, netId, appNonce, devNonce);
    assert.equal(hex(ours.nwkSKey), theirs.NwkSKey.toString("hex"));
    assert.equal(hex(ours.appSKey), theirs.AppSKey.toString("hex"));
  }
});
