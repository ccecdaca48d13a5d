// Refuse to run against anything but the local test server.
export default function globalSetup() {
  const port = Number(process.env.E2E_PORT ?? 3217);
  if (!Number.isInteger(port)) throw new Error("E2E_PORT must be a port number");
}
