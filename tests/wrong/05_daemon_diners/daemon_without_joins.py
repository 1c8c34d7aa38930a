"""Wrong: daemon diners, but nobody waits for the buns to be eaten.

"The diners leave with main now, so the cooks need not wait": this learner
made the diners daemons and dropped the cooks' counter.join(). Main still
joins the cooks, but a cook is done as soon as its buns are on the counter,
not when they are eaten. Main ends, the daemons are killed with buns still
on the counter or half eaten (LOST).
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop):
    while True:
        bun = counter.get()
        shop.eat(bun)
        counter.task_done()


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop), daemon=True) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    print("Every bun is eaten. The shop is closed.")
