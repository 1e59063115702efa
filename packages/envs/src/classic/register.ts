// Registers the classic-control environments (CartPole-v1, Pendulum-v1, MountainCar-v0, Acrobot-v1)
// with Gymnasium's ids, time limits and reward thresholds.
import { register } from '../registry.js';
import { AcrobotEnv } from './acrobot.js';
import { CartPoleEnv } from './cartpole.js';
import { MountainCarEnv } from './mountainCar.js';
import { PendulumEnv } from './pendulum.js';

register({ id: 'CartPole-v1', create: (kw) => new CartPoleEnv(kw), maxEpisodeSteps: 500, rewardThreshold: 475 });
register({ id: 'Pendulum-v1', create: (kw) => new PendulumEnv(kw), maxEpisodeSteps: 200 });
register({ id: 'MountainCar-v0', create: (kw) => new MountainCarEnv(kw), maxEpisodeSteps: 200, rewardThreshold: -110 });
register({ id: 'Acrobot-v1', create: (kw) => new AcrobotEnv(kw), maxEpisodeSteps: 500, rewardThreshold: -100 });
