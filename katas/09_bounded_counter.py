"""Kata 09 · A counter with little room · 柜台放不下

THE STORY
The shop has moved to a smaller place. The counter has room for only a few
buns (`shop.counter_size` of them): a multiprocessing queue made with
`maxsize`. When it is full, a cook's `counter.put(bun)` waits until a diner
takes a bun off. That is good: the kitchen can never bury the counter in
buns (it is called backpressure). But main runs the shop as it always did:
it lets the cooks fill the counter, waits for them to finish, and only then
lets the diners in. The counter is full, the cooks wait for room, and main
waits for the cooks.

THE GOAL
Every bun is eaten exactly once; the counter never holds more than
`shop.counter_size` buns; everyone goes home and the program ends by itself.

WHAT IS BROKEN
Run `pytest` and you will see a HANG: a cook is blocked in `counter.put()`,
waiting for room that only a diner could make.

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)        main: makes a counter with room for
                           shop.counter_size buns, starts shop.cooks cooks
                           and shop.diners diners, joins the cooks, puts one
                           None per diner, joins the diners
    cook(counter, shop)    puts every bun of shop.buns() on the counter
    diner(counter, shop)   takes buns off the counter and calls
                           shop.eat(bun), until it gets None
A bun can be any value, even 0 or "". Only the cooks make buns.

RUN JUST THIS KATA
    pytest --kata 09

------------------------------------------------------------------------
故事
包子铺搬进了一个小地方。柜台只放得下几个包子（`shop.counter_size` 个）：它是一个带 `maxsize` 的
multiprocessing 队列。柜台满了，厨师的 `counter.put(bun)` 就会等，直到有食客拿走一个包子。
这是好事：厨房永远不会把柜台淹没在包子里（这叫背压，backpressure）。可 main 还是照老样子开店：
先让厨师把柜台摆满，等他们做完，然后才放食客进来。柜台满了，厨师等空位，main 等厨师。

目标
每个包子都被吃掉，而且只吃一次；柜台上从来不超过 `shop.counter_size` 个包子；所有人回家，程序自己结束。

哪里坏了
运行 `pytest`，你会看到 HANG：有位厨师卡在 `counter.put()`，等着只有食客才能腾出来的空位。

约定（测试会调用这些函数；名字和参数不要改）
    open_shop(shop)        main：做一个能放 shop.counter_size 个包子的柜台，启动 shop.cooks 位厨师和
                           shop.diners 位食客，join 厨师，为每位食客放一个 None，再 join 食客
    cook(counter, shop)    把 shop.buns() 的每个包子放到柜台上
    diner(counter, shop)   从柜台上拿包子并调用 shop.eat(bun)，直到拿到 None
包子可以是任何值，甚至是 0 或 ""。只有厨师做包子。

只运行这个练习
    pytest --kata 09
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)  # waits while the counter is full


def diner(counter, shop):
    while (bun := counter.get()) is not DONE:
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue(maxsize=shop.counter_size)
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for a_cook in cooks:
        a_cook.start()
    # TODO: main waits for the cooks before any diner has come in, but a cook cannot finish while the counter is
    # full. Who makes room? (main 在食客进门之前就等厨师做完，可柜台满了，厨师就做不完。谁来腾出空位？)
    for a_cook in cooks:
        a_cook.join()
    for a_diner in diners:
        a_diner.start()
    for _ in diners:
        counter.put(DONE)
    for a_diner in diners:
        a_diner.join()


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
