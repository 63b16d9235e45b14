// Random bytes with the hardware RNG's internal entropy source switched on (native/hw_random.c):
// truly random even before Wi-Fi runs, which is when the gateway key is made. Only before Wi-Fi
// starts: the source shares the ADC with the radio.
const hwRandomEntropy = native("xs_hw_random_entropy");

export function trueRandom(bytes: Uint8Array): void {
  hwRandomEntropy(bytes);
}
