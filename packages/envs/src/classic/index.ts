export { CartPoleEnv, type CartPoleState, type KinematicsIntegrator } from './cartpole.js';
export { PendulumEnv, angleNormalize, type PendulumState } from './pendulum.js';
export { MountainCarEnv, type MountainCarState } from './mountainCar.js';
export { AcrobotEnv, type AcrobotDynamics, type AcrobotState } from './acrobot.js';
export { Canvas } from './raster.js';
