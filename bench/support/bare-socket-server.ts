// A bare socket.io server for comparison: no auth, no rooms, no database. POST /emit broadcasts
// the request body to every client, exactly as the war room forwards a bus event.
import { createServer } from "node:http";
import { Server } from "socket.io";

const http = createServer((req, res) => {
  if (req.method === "POST" && req.url === "/emit") {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      io.emit("event", JSON.parse(body));
      res.end("ok");
    });
    return;
  }
  res.statusCode = 404;
  res.end();
});
const io = new Server(http, { path: "/socket.io", serveClient: false });
http.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const a = http.address();
  console.log(`LISTENING ${typeof a === "object" && a ? a.port : 0}`);
});
// A normal exit, so that node flags such as --cpu-prof write their output.
process.on("SIGTERM", () => process.exit(0));
