// The rational-function modules inside @stdlib/math-base-special-erfinv (plain CommonJS, no types
// of their own): each takes and returns a number. Used by src/engine/stats.ts.
declare module "@stdlib/math-base-special-erfinv/lib/rational_p1q1.js" {
  const evalrational: (x: number) => number;
  export default evalrational;
}
declare module "@stdlib/math-base-special-erfinv/lib/rational_p2q2.js" {
  const evalrational: (x: number) => number;
  export default evalrational;
}
declare module "@stdlib/math-base-special-erfinv/lib/rational_p3q3.js" {
  const evalrational: (x: number) => number;
  export default evalrational;
}
declare module "@stdlib/math-base-special-erfinv/lib/rational_p4q4.js" {
  const evalrational: (x: number) => number;
  export default evalrational;
}
declare module "@stdlib/math-base-special-erfinv/lib/rational_p5q5.js" {
  const evalrational: (x: number) => number;
  export default evalrational;
}
