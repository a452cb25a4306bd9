// The shared model: types, unions and constants used on every floor (db/, lib/,
// components/, app/). It imports nothing outside itself
// (tests/unit/architecture.test.ts checks it).
export * from './api';
export * from './audit';
export * from './basemap';
export * from './domain';
export * from './events';
export * from './roles';
export * from './lifecycle';
export * from './moves';
export * from './township-layers';
export * from './teams';
export * from './plans';
export * from './replay';
