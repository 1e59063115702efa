// Registers the classic-control environments (CartPole-v1, Pendulum-v1, MountainCar-v0, Acrobot-v1).
export {};
