"use client";
import { useEffect, useState } from "react";

/** Wall time in ms, updated every second (for clocks, countdowns and drift). */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
