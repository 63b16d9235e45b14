// The PoC ingest on @grpc/grpc-js: service `helium.poc_lora.poc_lora` (stream_requests and the two
// unary submits) over h2c. Messages pass as raw bytes so the ingest decodes exactly what arrived.
// Mount it on a devnet server with addPocIngestService, or run it alone with startPocIngestServer.
import * as grpc from "@grpc/grpc-js";
import type { PocIngest } from "./ingest.js";

const SERVICE = "/helium.poc_lora.poc_lora/";
export const POC_STREAM_PATH = SERVICE + "stream_requests";

const raw = {
  requestSerialize: (b: Uint8Array) => Buffer.from(b),
  requestDeserialize: (b: Buffer) => new Uint8Array(b),
  responseSerialize: (b: Uint8Array) => Buffer.from(b),
  responseDeserialize: (b: Buffer) => new Uint8Array(b),
};

export const pocLoraService: grpc.ServiceDefinition = {
  submit_lora_beacon: { path: SERVICE + "submit_lora_beacon", requestStream: false, responseStream: false, ...raw },
  submit_lora_witness: { path: SERVICE + "submit_lora_witness", requestStream: false, responseStream: false, ...raw },
  stream_requests: { path: POC_STREAM_PATH, requestStream: true, responseStream: true, ...raw },
};

function unary(submit: (bytes: Uint8Array) => ReturnType<PocIngest["submitBeacon"]>): grpc.handleUnaryCall<Uint8Array, Uint8Array> {
  return (call, callback) => {
    const result = submit(call.request);
    if (result.ok) callback(null, result.response);
    else callback({ code: result.end.code, details: result.end.details });
  };
}

export function addPocIngestService(server: grpc.Server, ingest: PocIngest): void {
  server.addService(pocLoraService, {
    submit_lora_beacon: unary((b) => ingest.submitBeacon(b)),
    submit_lora_witness: unary((b) => ingest.submitWitness(b)),
    stream_requests: (call: grpc.ServerDuplexStream<Uint8Array, Uint8Array>) => {
      const stream = ingest.openStream({
        send: (message) => {
          if (!call.writableEnded) call.write(message);
        },
        close: (end) => {
          if (call.writableEnded) return;
          if (end.code === grpc.status.OK) call.end();
          else call.emit("error", { code: end.code, details: end.details });
        },
      });
      call.on("data", (message: Uint8Array) => stream.receive(message));
      call.on("end", () => stream.close({ code: grpc.status.OK, details: "client half-closed" }));
      call.on("cancelled", () => stream.ended());
      call.on("error", () => stream.ended());
    },
  });
}

/** A grpc-js server with only the PoC ingest, on 127.0.0.1 (port 0 picks a free one). */
export async function startPocIngestServer(ingest: PocIngest, port = 0): Promise<{ server: grpc.Server; port: number; close(): Promise<void> }> {
  const server = new grpc.Server();
  addPocIngestService(server, ingest);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
  );
  return {
    server,
    port: bound,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
